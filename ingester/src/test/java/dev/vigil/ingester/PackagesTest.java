package dev.vigil.ingester;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The ingester's packages follow an object's path (queue → pipeline → opensearch, with source,
 * detect, replay and scan beside them, assembled in app): no two of them may depend on each other,
 * so each can be read, tested and changed from its own dependencies down.
 */
class PackagesTest {
  private static final JavaClasses INGESTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil.ingester");

  @Test
  void packagesHaveNoCycle() {
    slices().matching("dev.vigil.ingester.(*)..").should().beFreeOfCycles().check(INGESTER);
  }
}
