package dev.vigil.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * CloudTrail objects of any size, generated from the documented record format (not copied from real
 * logs): a mix of IAM users, assumed roles, root and AWS services calling common APIs, with nested
 * request parameters that vary in shape, some errors, and responses. Deterministic for a seed;
 * streamed, so a 200 MB object costs no memory.
 */
public final class SyntheticCloudTrail {
  private static final String[][] CALLS = {
    {"s3.amazonaws.com", "GetObject"},
    {"s3.amazonaws.com", "PutObject"},
    {"s3.amazonaws.com", "ListBuckets"},
    {"ec2.amazonaws.com", "DescribeInstances"},
    {"ec2.amazonaws.com", "RunInstances"},
    {"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"},
    {"iam.amazonaws.com", "CreateUser"},
    {"iam.amazonaws.com", "AttachRolePolicy"},
    {"sts.amazonaws.com", "AssumeRole"},
    {"kms.amazonaws.com", "Decrypt"},
    {"lambda.amazonaws.com", "Invoke"},
    {"cloudtrail.amazonaws.com", "StopLogging"},
    {"secretsmanager.amazonaws.com", "GetSecretValue"},
    {"signin.amazonaws.com", "ConsoleLogin"},
    {"dynamodb.amazonaws.com", "DeleteTable"}
  };
  private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-south-1", "us-west-2"};
  private static final String[] ACCOUNTS = {"111122223333", "444455556666", "777788889999"};
  private static final String[] USERS = {"alice", "bob", "carol", "deploy-bot", "mallory"};
  private static final String[] TYPES = {"t3.micro", "m5.large", "p4d.24xlarge", "c6g.xlarge"};

  private SyntheticCloudTrail() {}

  /**
   * One S3 object's content: {@code {"Records":[...]}} with {@code events} events, generated as it
   * is read.
   */
  public static InputStream object(int events, long seed, Instant start) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private byte[] chunk = "{\"Records\":[".getBytes(StandardCharsets.UTF_8);
      private int position;
      private int produced;
      private boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (position == chunk.length && !refill()) {
          return -1;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, n);
        position += n;
        return n;
      }

      private boolean refill() {
        if (ended) {
          return false;
        }
        if (produced == events) {
          chunk = "]}".getBytes(StandardCharsets.UTF_8);
          ended = true;
        } else {
          String event = event(random, produced, start.plusMillis(produced * 37L));
          chunk = ((produced == 0 ? "" : ",") + event).getBytes(StandardCharsets.UTF_8);
          produced++;
        }
        position = 0;
        return true;
      }
    };
  }

  /**
   * Writes a gzipped object of {@code events} events to {@code file}, as CloudTrail delivers them.
   */
  public static Path writeGzip(Path file, int events, long seed, Instant start) throws IOException {
    try (InputStream in = object(events, seed, start);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
      in.transferTo(out);
    }
    return file;
  }

  static String event(SplittableRandom random, int n, Instant time) {
    String[] call = CALLS[random.nextInt(CALLS.length)];
    String region = REGIONS[random.nextInt(REGIONS.length)];
    String account = ACCOUNTS[random.nextInt(ACCOUNTS.length)];
    String user = USERS[random.nextInt(USERS.length)];
    boolean failed = random.nextInt(10) == 0;
    String identity =
        switch (random.nextInt(4)) {
          case 0 ->
              "{\"type\":\"IAMUser\",\"principalId\":\"AIDA"
                  + n
                  + "\",\"arn\":\"arn:aws:iam::"
                  + account
                  + ":user/"
                  + user
                  + "\",\"accountId\":\""
                  + account
                  + "\",\"accessKeyId\":\"AKIA"
                  + (100000 + n)
                  + "\",\"userName\":\""
                  + user
                  + "\"}";
          case 1 ->
              "{\"type\":\"AssumedRole\",\"principalId\":\"AROA"
                  + n
                  + ":"
                  + user
                  + "\",\"arn\":\"arn:aws:sts::"
                  + account
                  + ":assumed-role/Admin/"
                  + user
                  + "\",\"accountId\":\""
                  + account
                  + "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::"
                  + account
                  + ":role/Admin\",\"userName\":\"Admin\"},\"attributes\":{\"creationDate\":\""
                  + time
                  + "\",\"mfaAuthenticated\":\""
                  + random.nextBoolean()
                  + "\"}}}";
          case 2 ->
              "{\"type\":\"Root\",\"principalId\":\""
                  + account
                  + "\",\"arn\":\"arn:aws:iam::"
                  + account
                  + ":root\",\"accountId\":\""
                  + account
                  + "\"}";
          default -> "{\"type\":\"AWSService\",\"invokedBy\":\"ec2.amazonaws.com\"}";
        };
    String request =
        switch (call[1]) {
          case "GetObject", "PutObject" ->
              "{\"bucketName\":\"data-"
                  + account
                  + "\",\"key\":\"reports/"
                  + n
                  + ".csv\",\"Host\":\"data-"
                  + account
                  + ".s3."
                  + region
                  + ".amazonaws.com\"}";
          case "RunInstances" ->
              "{\"instanceType\":\""
                  + TYPES[random.nextInt(TYPES.length)]
                  + "\",\"instancesSet\":{\"items\":[{\"imageId\":\"ami-0abc"
                  + n
                  + "\",\"minCount\":1,\"maxCount\":1}]},\"blockDeviceMapping\":{}}";
          case "AuthorizeSecurityGroupIngress" ->
              "{\"groupId\":\"sg-"
                  + n
                  + "\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                  + "\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]}}]}}";
          case "StopLogging" ->
              "{\"name\":\"arn:aws:cloudtrail:" + region + ":" + account + ":trail/org\"}";
          case "AttachRolePolicy" ->
              "{\"roleName\":\"app-"
                  + n % 50
                  + "\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}";
          case "ListBuckets", "DescribeInstances", "ConsoleLogin" -> "null";
          default ->
              "{\"name\":\"resource-" + n % 100 + "\",\"limit\":" + random.nextInt(1000) + "}";
        };
    String response =
        failed || random.nextBoolean()
            ? "null"
            : "{\"requestId\":\"r-"
                + n
                + "\",\"result\":{\"status\":\"ok\",\"items\":["
                + random.nextInt(100)
                + "]}}";
    return "{\"eventVersion\":\"1.08\",\"userIdentity\":"
        + identity
        + ",\"eventTime\":\""
        + time
        + "\",\"eventSource\":\""
        + call[0]
        + "\",\"eventName\":\""
        + call[1]
        + "\",\"awsRegion\":\""
        + region
        + "\",\"sourceIPAddress\":\""
        + (random.nextInt(4) == 0 ? "ec2.amazonaws.com" : "198.51.100." + (n % 250))
        + "\",\"userAgent\":\"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 botocore/2.0\",\"requestParameters\":"
        + request
        + ",\"responseElements\":"
        + response
        + (failed
            ? ",\"errorCode\":\"AccessDenied\",\"errorMessage\":"
                + "\"User is not authorized to perform this operation\""
            : "")
        + ",\"requestID\":\"req-"
        + n
        + "\",\"eventID\":\""
        + new java.util.UUID(seed(random), n).toString()
        + "\",\"readOnly\":"
        + call[1].startsWith("Get")
        + ",\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
        + "\"recipientAccountId\":\""
        + account
        + "\",\"eventCategory\":\"Management\"}";
  }

  private static long seed(SplittableRandom random) {
    return random.nextLong();
  }
}
