package dev.vigil.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (or "development" when run from classes). */
final class VigilVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VigilCommand.class.getPackage().getImplementationVersion();
    return new String[] {"vigil " + (version == null ? "development" : version)};
  }
}
