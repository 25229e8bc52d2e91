package dev.courier.relay;

import java.io.IOException;
import java.net.InetAddress;

/** The member name of a relay without {@code courier.relay.member-id}: host name and process id. */
public final class DefaultMember {

    private DefaultMember() {}

    public static String name() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "relay";
        }
        String name = host + "-" + ProcessHandle.current().pid();
        return name.length() <= RelayProperties.MEMBER_ID_MAX
                ? name
                : name.substring(name.length() - RelayProperties.MEMBER_ID_MAX);
    }
}
