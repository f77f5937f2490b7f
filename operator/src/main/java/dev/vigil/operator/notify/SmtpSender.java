package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.NotificationChannelSpec.SmtpSecurity;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.NotificationPayloads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends an alert as a plain-text e-mail over SMTP (RFC 5321): implicit TLS, STARTTLS or none, and
 * AUTH PLAIN when credentials are given. A 4xx answer is retryable, 5xx is not. Small on purpose:
 * one message, no attachments, no connection reuse.
 */
public final class SmtpSender implements ChannelSender {
  private final Duration timeout;
  private final SSLSocketFactory tls;

  public SmtpSender(Duration timeout, SSLSocketFactory tls) {
    this.timeout = timeout;
    this.tls = tls;
  }

  @Override
  public void send(ResolvedChannel target, Alert alert) throws DeliveryException {
    ResolvedChannel.Smtp smtp = target.smtp();
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(smtp.host(), smtp.port()), (int) timeout.toMillis());
      plain.setSoTimeout((int) timeout.toMillis());
      Socket socket = smtp.security() == SmtpSecurity.SSL ? startTls(plain, smtp.host()) : plain;
      Session session = new Session(socket);
      session.expect(220);
      session.command("EHLO vigil", 250);
      if (smtp.security() == SmtpSecurity.StartTLS) {
        session.command("STARTTLS", 220);
        session = new Session(startTls(socket, smtp.host()));
        session.command("EHLO vigil", 250);
      }
      if (smtp.username() != null) {
        String token =
            Base64.getEncoder()
                .encodeToString(
                    ("\0" + smtp.username() + "\0" + smtp.password())
                        .getBytes(StandardCharsets.UTF_8));
        session.command("AUTH PLAIN " + token, 235);
      }
      session.command("MAIL FROM:<" + smtp.from() + ">", 250);
      for (String to : smtp.to()) {
        session.command("RCPT TO:<" + to + ">", 250);
      }
      session.command("DATA", 354);
      session.write(message(smtp, alert));
      session.command(".", 250);
      session.command("QUIT", 221);
    } catch (IOException e) {
      throw new DeliveryException(
          "SMTP " + smtp.host() + ":" + smtp.port() + " failed: " + e.getMessage(), true, e);
    } catch (SmtpReply e) {
      throw new DeliveryException(
          "SMTP " + smtp.host() + " refused: " + e.getMessage(), e.code / 100 == 4, null);
    }
  }

  private static String message(ResolvedChannel.Smtp smtp, Alert alert) {
    StringBuilder m = new StringBuilder();
    m.append("From: ").append(smtp.from()).append("\r\n");
    m.append("To: ").append(String.join(", ", smtp.to())).append("\r\n");
    m.append("Subject: ").append(NotificationPayloads.subject(alert)).append("\r\n");
    m.append("Date: ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()))
        .append("\r\n");
    m.append("Content-Type: text/plain; charset=UTF-8\r\n\r\n");
    for (String line : NotificationPayloads.summary(alert).split("\n")) {
      m.append(line.startsWith(".") ? "." + line : line).append("\r\n"); // dot-stuffing
    }
    return m.toString();
  }

  private Socket startTls(Socket socket, String host) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, socket.getPort(), true);
    ssl.startHandshake();
    return ssl;
  }

  private static final class SmtpReply extends Exception {
    final int code;

    SmtpReply(int code, String text) {
      super(text);
      this.code = code;
    }
  }

  private static final class Session {
    private final BufferedReader in;
    private final OutputStream out;

    Session(Socket socket) throws IOException {
      this.in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      this.out = socket.getOutputStream();
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    void command(String line, int expected) throws IOException, SmtpReply {
      write(line + "\r\n");
      expect(expected);
    }

    void expect(int expected) throws IOException, SmtpReply {
      String line;
      do {
        line = in.readLine();
        if (line == null || line.length() < 3) {
          throw new IOException("connection closed");
        }
      } while (line.length() > 3 && line.charAt(3) == '-');
      int code = Integer.parseInt(line.substring(0, 3));
      if (code != expected && !(expected == 250 && code == 251)) {
        throw new SmtpReply(code, line);
      }
    }
  }
}
