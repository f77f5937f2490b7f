package dev.vigil.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.PartStartException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A pass-through in front of the emulator's STS that reads the session credentials in STS's answers
 * ({@code AssumeRole}, {@code AssumeRoleWithWebIdentity}, …) on their way to the client: the {@link
 * SigV4Keys} an AWS service would learn from STS — exactly the keys issued, each until the {@code
 * Expiration} STS stated. The test never hands the proxy a key; clients that obtained no key from
 * STS are refused. (moto keeps the issued keys but its {@code /moto-api/data.json} omits their
 * expiry, so the answers on the wire are the honest source.)
 */
public final class StsWitness implements SigV4Keys, AutoCloseable {
  /** One set of session credentials, as STS issued it. */
  public record Issued(String accessKeyId, Key key) {}

  private final HttpServer server;
  private final Forwarder forwarder;
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final List<Issued> issued = new CopyOnWriteArrayList<>();

  private StsWitness(URI sts) throws IOException {
    this.forwarder = new Forwarder(sts, null);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(Forwarder.daemon("sts-witness")));
    server.createContext("/", this::handle);
    server.start();
  }

  /** In front of {@code sts}, e.g. {@link MotoServer#endpoint()}. */
  public static StsWitness start(URI sts) {
    try {
      return new StsWitness(sts);
    } catch (IOException e) {
      throw new PartStartException("cannot listen on loopback: " + e.getMessage(), e);
    }
  }

  /** Where clients send their STS calls. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every session STS issued through this witness, oldest first. */
  public List<Issued> issued() {
    return List.copyOf(issued);
  }

  @Override
  public Optional<Key> find(String accessKeyId) {
    return Optional.ofNullable(keys.get(accessKeyId));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Forwarder.Answer answer =
          forwarder.forward(exchange, exchange.getRequestBody().readAllBytes());
      if (answer.status() == 200) {
        remember(answer.body());
      }
      answer.sendTo(exchange);
    }
  }

  private void remember(byte[] xml) {
    NodeList credentials;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      credentials =
          factory
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(xml))
              .getElementsByTagName("Credentials");
    } catch (Exception e) {
      return; // not an XML answer with credentials (e.g. GetCallerIdentity in JSON)
    }
    for (int i = 0; i < credentials.getLength(); i++) {
      Element c = (Element) credentials.item(i);
      String id = text(c, "AccessKeyId");
      Key key =
          new Key(
              text(c, "SecretAccessKey"),
              text(c, "SessionToken"),
              Instant.parse(text(c, "Expiration")));
      keys.put(id, key);
      issued.add(new Issued(id, key));
    }
  }

  private static String text(Element parent, String name) {
    return parent.getElementsByTagName(name).item(0).getTextContent().trim();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
