package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

/** CommandComplete ('C'): the command tag, e.g. {@code SELECT 3}, {@code INSERT 0 2}, {@code UPDATE 5}. */
public record CommandComplete(String tag) implements PgMessage {
    public CommandComplete {
        Wire.notNull(tag, "tag");
    }

    /** The row count at the end of the tag, or -1 when it has none. */
    public long rows() {
        int sp = tag.lastIndexOf(' ');
        if (sp < 0) {
            return -1;
        }
        try {
            return Long.parseLong(tag.substring(sp + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The same tag with its row count replaced. */
    public CommandComplete withRows(long rows) {
        int sp = tag.lastIndexOf(' ');
        // only tags that end in a row count (INSERT 0 n, UPDATE n, SELECT n, COPY n...): CREATE SEQUENCE has none
        if (sp < 0 || sp == tag.length() - 1) {
            return this;
        }
        for (int i = sp + 1; i < tag.length(); i++) {
            if (tag.charAt(i) < '0' || tag.charAt(i) > '9') {
                return this;
            }
        }
        return new CommandComplete(tag.substring(0, sp + 1) + rows);
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.begin(out, 'C');
        Wire.writeCString(out, tag);
        Wire.end(out, at);
    }

    public static CommandComplete decode(ByteBuf body) {
        return new CommandComplete(Wire.readCString(body));
    }
}
