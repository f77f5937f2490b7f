import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Locale;

/**
 * Writes the Java trust store of the base image ({@code lib/security/cacerts}) from a PEM bundle:
 * Debian's ca-certificates, so the image trusts what Debian's current package trusts rather than the
 * JDK build's snapshot. PKCS12 without encryption or MAC, like the JDK's own cacerts since JDK 18:
 * nothing secret is in it, it opens with any or no password, and without their random salts the
 * same certificates give the same bytes (a reproducible base image). Run by build-base-image.sh as
 * a single-file program: {@code java TrustStore.java BUNDLE.pem OUT}.
 */
public final class TrustStore {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: java TrustStore.java BUNDLE.pem OUT");
    }
    Collection<? extends Certificate> certificates;
    try (InputStream in = new FileInputStream(args[0])) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certificates.isEmpty()) {
      throw new IllegalStateException(args[0] + " holds no certificate");
    }
    Security.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
    Security.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (Certificate certificate : certificates) {
      X509Certificate x509 = (X509Certificate) certificate;
      // Alias: the subject, made unique by the serial (a few CAs share a subject across generations).
      String alias =
          (x509.getSubjectX500Principal().getName() + " " + x509.getSerialNumber().toString(16))
              .toLowerCase(Locale.ROOT);
      store.setCertificateEntry(alias, certificate);
    }
    try (FileOutputStream out = new FileOutputStream(args[1])) {
      store.store(out, "changeit".toCharArray());
    }
    System.err.println("trust store: " + certificates.size() + " certificates");
  }
}
