package dev.vigil.api.v1alpha1;

/**
 * Log types as written in manifests (the ids of the log core), plus {@code auto} where detection is
 * allowed.
 */
public enum LogTypeName {
  auto,
  cloudtrail,
  cloudwatch,
  vpcflow,
  waf,
  securityhub,
  guardduty,
  s3access,
  alb,
  route53resolver
}
