package dev.modelfeedback.redis;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the Redis server is: {@code redis://HOST[:PORT][/DB]}, or {@code rediss://} for TLS. The
 * port defaults to 6379 and the database to 0. A password never goes in the URI (it would show in
 * command lines, process lists and logs): {@link RedisPendingStore.Builder#password} takes it.
 *
 * @param host the host name or address, without brackets for IPv6
 * @param port the TCP port
 * @param database the database number
 * @param tls whether to connect over TLS
 */
record RedisLocation(String host, int port, int database, boolean tls) {

    static final int DEFAULT_PORT = 6379;

    /**
     * @throws IllegalArgumentException naming what is wrong with the URI
     */
    static RedisLocation parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("the Redis URI must not be null");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the Redis URI must look like redis://HOST:PORT/DB, got '" + text + "': "
                    + e.getReason(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss"))) {
            throw new IllegalArgumentException("the Redis URI must start with redis:// (or rediss:// for TLS), got '"
                    + text + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the Redis URI must not hold a user or password (they would show in"
                    + " logs and process lists); give the password to password(...), for example from an environment"
                    + " variable, got a URI with user information for host " + uri.getHost());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the Redis URI must name a host, as in redis://HOST:PORT/DB, got '" + text + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the Redis URI takes no query or fragment, got '" + text + "'");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port == 0) {
            throw new IllegalArgumentException("the Redis port must be 1 to 65535, got 0 in '" + text + "'");
        }
        return new RedisLocation(host, port, database(uri.getRawPath(), text), scheme.equals("rediss"));
    }

    private static int database(String path, String text) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String number = path.substring(1);
        if (!number.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("the Redis database must be a number, as in redis://HOST:PORT/0, got '"
                    + number + "' in '" + text + "'");
        }
        return Integer.parseInt(number);
    }

    @Override
    public String toString() {
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "rediss://" : "redis://") + shown + ":" + port + "/" + database;
    }
}
