package dev.falgate.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A URL that passed the syntax rules: http or https, no user info, a host {@link HostSyntax}
 * accepts, a valid port. Which addresses the host stands for is checked later, once, by
 * {@link SafeDnsResolver} as the connection is made; redirects come back through
 * {@link #redirect} and so through the same rules.
 *
 * <p>Host and port are read from the raw authority rather than from {@link URI#getHost()}, which
 * returns null for some hosts and accepts others we refuse; the two readings must then agree,
 * so HttpClient (which reads the URI) cannot see a different host than the one checked.
 */
record CheckedUrl(URI uri) {
    static final int MAX_LENGTH = 4096;
    private static final Set<String> SCHEMES = Set.of("http", "https");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private record Authority(String host, int port) {
    }

    static CheckedUrl parse(String text) {
        URI uri = withoutFragment(lowerCaseScheme(toUri(text)));
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
            throw IngestException.notAllowed("only http:// and https:// URLs are fetched");
        }
        String rawAuthority = uri.getRawAuthority();
        if (rawAuthority == null) {
            throw IngestException.notAllowed("the URL names no host");
        }
        if (rawAuthority.contains("@")) {
            throw IngestException.notAllowed("URLs with a user name or password are not fetched");
        }
        Authority authority = splitAuthority(rawAuthority);
        checkHost(authority.host());
        if (!authority.host().equalsIgnoreCase(uri.getHost()) || authority.port() != uri.getPort()) {
            throw IngestException.notAllowed("not a valid URL");
        }
        return new CheckedUrl(uri);
    }

    /** The URL a redirect's Location names, relative ones resolved against this URL, checked afresh. */
    CheckedUrl redirect(String location) {
        URI target;
        try {
            target = resolutionBase().resolve(new URI(location));
        } catch (URISyntaxException e) {
            throw new IngestException(IngestException.Code.URL_FETCH_FAILED, "the server redirected to an invalid URL");
        }
        try {
            return parse(target.toString());
        } catch (IngestException e) {
            throw e.afterRedirect();
        }
    }

    /** {@link URI#resolve} mishandles an empty base path ("http://a" + "b" gives "http://ab"). */
    private URI resolutionBase() {
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
    }

    private static URI toUri(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            throw IngestException.notAllowed("not a valid URL (at most " + MAX_LENGTH + " characters)");
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw IngestException.notAllowed("not a valid URL");
        }
    }

    private static URI lowerCaseScheme(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || scheme.equals(scheme.toLowerCase(Locale.ROOT))) {
            return uri;
        }
        return URI.create(scheme.toLowerCase(Locale.ROOT) + uri.toString().substring(scheme.length()));
    }

    /** The fragment never goes on the wire; dropping it here keeps the URL we pass on exact. */
    private static URI withoutFragment(URI uri) {
        String text = uri.toString();
        return uri.getRawFragment() == null ? uri
                : URI.create(text.substring(0, text.length() - uri.getRawFragment().length() - 1));
    }

    private static Authority splitAuthority(String authority) {
        int hostEnd = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.lastIndexOf(':');
        if (hostEnd <= 0 || hostEnd == authority.length()) {
            return new Authority(authority, -1);
        }
        String rest = authority.substring(hostEnd);
        return new Authority(authority.substring(0, hostEnd), port(rest));
    }

    private static int port(String colonAndPort) {
        String digits = colonAndPort.startsWith(":") ? colonAndPort.substring(1) : "";
        int port = PORT.matcher(digits).matches() ? Integer.parseInt(digits) : 0;
        if (port < 1 || port > 65535) {
            throw IngestException.notAllowed("not a valid port");
        }
        return port;
    }

    private static void checkHost(String host) {
        try {
            HostSyntax.parse(host);
        } catch (HostSyntax.InvalidHost e) {
            throw IngestException.notAllowed(e.getMessage());
        }
    }
}
