package dev.vigil.operator.logsource;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** AWS failures as one line for a condition: service, error code and message, no stack trace. */
final class AwsErrors {
  private AwsErrors() {}

  static String describe(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      var details = service.awsErrorDetails();
      return details.serviceName()
          + " "
          + details.errorCode()
          + " (HTTP "
          + service.statusCode()
          + "): "
          + details.errorMessage();
    }
    return e.getMessage();
  }
}
