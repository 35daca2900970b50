package io.shardgate.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NetTransportTest {
    /** The native epoll library ships in the proxy's jar; losing it would silently fall back to NIO. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "x86_64"})
    void linuxX86UsesTheNativeEpollTransport() {
        assertEquals(NetTransport.EPOLL, NetTransport.best(), String.valueOf(NetTransport.unavailableReason()));
    }
}
