package io.shardgate.proxy;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Which Netty transport the proxy's sockets use. Linux's native epoll transport costs noticeably less CPU per
 * forwarded message than the JDK selector (no selected-key set, fewer copies and wake-ups), which on a small
 * machine shared with the database is throughput; NIO remains the fallback where the native library cannot load.
 */
public enum NetTransport {
    EPOLL, NIO;

    /** Epoll when the native library loads on this machine, else NIO. */
    public static NetTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * Event loops that run their queued tasks after every round of I/O without timing it: the proxy's tasks are short
     * (a borrowed connection handed over, a timeout), and timing the I/O costs two clock reads per wake-up.
     */
    public EventLoopGroup newGroup(int threads) {
        if (this == EPOLL) {
            EpollEventLoopGroup group = new EpollEventLoopGroup(threads);
            group.setIoRatio(100);
            return group;
        }
        NioEventLoopGroup group = new NioEventLoopGroup(threads);
        group.setIoRatio(100);
        return group;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The socket channel class that matches the event loop a new outbound connection is bound to. */
    public static Class<? extends SocketChannel> socketChannelFor(EventLoop loop) {
        return loop.parent() instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Why the native transport is not used, or null when it is. */
    public static String unavailableReason() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? null : cause.toString();
    }
}
