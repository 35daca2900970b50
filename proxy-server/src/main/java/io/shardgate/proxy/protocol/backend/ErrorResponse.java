package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** ErrorResponse ('E'): fields by code: S severity, V non-localized severity, C SQLSTATE, M message, D detail, H hint. */
public record ErrorResponse(Map<Character, String> fields) implements PgMessage {
    public ErrorResponse {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(Wire.notNull(fields, "fields")));
    }

    public static ErrorResponse of(String sqlState, String message) {
        return of("ERROR", sqlState, message);
    }

    public static ErrorResponse fatal(String sqlState, String message) {
        return of("FATAL", sqlState, message);
    }

    private static ErrorResponse of(String severity, String sqlState, String message) {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put('S', severity);
        f.put('V', severity);
        f.put('C', sqlState);
        f.put('M', message);
        return new ErrorResponse(f);
    }

    public String sqlState() {
        return fields.get('C');
    }

    public String message() {
        return fields.get('M');
    }

    @Override
    public void encode(ByteBuf out) {
        encode(out, 'E', fields);
    }

    static void encode(ByteBuf out, char type, Map<Character, String> fields) {
        int at = Wire.begin(out, type);
        for (Map.Entry<Character, String> e : fields.entrySet()) {
            out.writeByte(e.getKey());
            Wire.writeCString(out, e.getValue());
        }
        out.writeByte(0);
        Wire.end(out, at);
    }

    static Map<Character, String> decodeFields(ByteBuf body) {
        Map<Character, String> f = new LinkedHashMap<>();
        while (body.isReadable()) {
            byte code = body.readByte();
            if (code == 0) {
                break;
            }
            f.put((char) code, Wire.readCString(body));
        }
        return f;
    }

    public static ErrorResponse decode(ByteBuf body) {
        return new ErrorResponse(decodeFields(body));
    }
}
