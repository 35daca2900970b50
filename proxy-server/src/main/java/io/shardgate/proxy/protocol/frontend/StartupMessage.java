package io.shardgate.proxy.protocol.frontend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.ProtocolException;
import io.shardgate.proxy.protocol.Wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** StartupMessage (untyped): protocol version 3.0 and name/value parameters ({@code user}, {@code database}, ...). */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) implements PgMessage {
    public static final int PROTOCOL_3_0 = 196608;

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Wire.notNull(parameters, "parameters")));
    }

    public static StartupMessage of(Map<String, String> parameters) {
        return new StartupMessage(PROTOCOL_3_0, parameters);
    }

    public String user() {
        return parameters.get("user");
    }

    public String database() {
        String d = parameters.get("database");
        return d == null ? user() : d;
    }

    @Override
    public void encode(ByteBuf out) {
        int at = Wire.beginUntyped(out);
        out.writeInt(protocolVersion);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            Wire.writeCString(out, e.getKey());
            Wire.writeCString(out, e.getValue());
        }
        out.writeByte(0);
        Wire.end(out, at);
    }

    /** Decodes the packet after its length field (starting at the version). */
    public static StartupMessage decode(ByteBuf in) {
        Wire.need(in, 4, "StartupMessage");
        int version = in.readInt();
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            if (!in.isReadable()) {
                throw new ProtocolException("StartupMessage: parameter list not terminated");
            }
            String name = Wire.readCString(in);
            if (name.isEmpty()) {
                break;
            }
            params.put(name, Wire.readCString(in));
        }
        return new StartupMessage(version, params);
    }
}
