package dev.vigil.operator.logsource;

/**
 * What merging Vigil's entry into a shared bucket configuration (notifications, lifecycle) comes
 * to: nothing to write, a whole configuration to write (the API only replaces whole ones), or a
 * conflict with someone else's entry that is reported instead of overwritten.
 */
public sealed interface ConfigChange<T> {
  record Unchanged<T>() implements ConfigChange<T> {}

  record Write<T>(T configuration) implements ConfigChange<T> {}

  record Conflict<T>(String message) implements ConfigChange<T> {}
}
