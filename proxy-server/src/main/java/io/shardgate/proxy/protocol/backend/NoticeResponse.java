package io.shardgate.proxy.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.shardgate.proxy.protocol.PgMessage;
import io.shardgate.proxy.protocol.Wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** NoticeResponse ('N'): same fields as {@link ErrorResponse}. */
public record NoticeResponse(Map<Character, String> fields) implements PgMessage {
    public NoticeResponse {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(Wire.notNull(fields, "fields")));
    }

    @Override
    public void encode(ByteBuf out) {
        ErrorResponse.encode(out, 'N', fields);
    }

    public static NoticeResponse decode(ByteBuf body) {
        return new NoticeResponse(ErrorResponse.decodeFields(body));
    }
}
