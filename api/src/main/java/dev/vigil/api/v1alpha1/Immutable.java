package dev.vigil.api.v1alpha1;

/**
 * CEL transition rules for fields whose change would orphan what the operator provisioned for the
 * old value (the bucket's notification, the queue in the old region): the API server refuses the
 * change, and the message says how to move.
 */
final class Immutable {
  static final String RULE = "self == oldSelf";
  private static final String HOW =
      ": create a new LogSource and delete this one (with deletionPolicy Delete its queue and"
          + " notification are removed)";
  static final String LOG_TYPE = "logType is immutable" + HOW;
  static final String BUCKET = "s3.bucket is immutable" + HOW;
  static final String REGION = "aws.region is immutable" + HOW;

  private Immutable() {}
}
