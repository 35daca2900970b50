package io.shardgate.proxy.values;

/** The type OIDs shardgate decodes; every other type passes as text. */
public final class PgTypes {
    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int NAME = 19;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int OID = 26;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int NUMERIC = 1700;
    public static final int UUID = 2950;
    public static final int UNSPECIFIED = 0;
    public static final int INT2_ARRAY = 1005;
    public static final int INT4_ARRAY = 1007;
    public static final int TEXT_ARRAY = 1009;
    public static final int VARCHAR_ARRAY = 1015;
    public static final int INT8_ARRAY = 1016;
    public static final int NUMERIC_ARRAY = 1231;
    public static final int UUID_ARRAY = 2951;

    /** Whether a parameter of this type is an array whose binary form {@code PgValues} can read (for key = ANY($1)). */
    public static boolean isReadableArray(int oid) {
        return switch (oid) {
            case INT2_ARRAY, INT4_ARRAY, TEXT_ARRAY, VARCHAR_ARRAY, INT8_ARRAY, NUMERIC_ARRAY, UUID_ARRAY -> true;
            default -> false;
        };
    }

    private PgTypes() {
    }
}
