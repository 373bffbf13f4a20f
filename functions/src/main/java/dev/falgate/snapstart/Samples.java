package dev.falgate.snapstart;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/** Fixed inputs for priming: nothing random, nothing secret. */
public final class Samples {
    /** RFC 8032 section 7.1, test 1: an Ed25519 public key and its signature of the empty message. */
    private static final String RFC8032_PUBLIC_KEY = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String RFC8032_SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    private static final String ED25519_SPKI_PREFIX = "302a300506032b6570032100";

    private Samples() {
    }

    /** One Ed25519 verification through the JDK provider the webhook verifier uses; throws if it does not verify. */
    public static void verifyEd25519() throws GeneralSecurityException {
        HexFormat hex = HexFormat.of();
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(hex.parseHex(ED25519_SPKI_PREFIX + RFC8032_PUBLIC_KEY))));
        s.update(new byte[0]);
        if (!s.verify(hex.parseHex(RFC8032_SIGNATURE))) {
            throw new GeneralSecurityException("the RFC 8032 test vector did not verify");
        }
    }

    /** A 4x3 PNG, encoded by ImageIO (which also loads its PNG writer). */
    public static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A loopback HTTP server answering every request with a fal-like JSON body, for the JDK client's path. */
    public static final class LoopbackServer implements AutoCloseable {
        private final HttpServer server;

        public LoopbackServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
                byte[] body = ("{\"request_id\":\"primer\",\"status\":\"COMPLETED\",\"status_url\":\"" + base()
                        + "/status\",\"response_url\":\"" + base() + "/response\",\"cancel_url\":\"" + base()
                        + "/cancel\",\"keys\":[]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        public URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
