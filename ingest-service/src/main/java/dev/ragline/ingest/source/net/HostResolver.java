package dev.ragline.ingest.source.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one DNS lookup a fetch makes: the guards vet what it answers and the connection goes to that very
 * address (pinned), so a name that answers differently a moment later (DNS rebinding) changes nothing.
 */
@ApplicationScoped
public class HostResolver {

    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}
