package org.llama3j.server.constrain;

import java.util.List;
import java.util.Set;

/**
 * The subset of JSON Schema that constrained decoding follows: a tree of expected JSON values.
 * {@link SchemaCompiler} builds it from a schema document.
 */
public sealed interface Schema {
    /** Any JSON value. */
    record Any() implements Schema {
    }

    /**
     * An object. {@code names == null}: any keys with any values; otherwise exactly the listed
     * properties may appear (each at most once, any order), and the required ones must.
     */
    record Obj(List<String> names, List<Schema> values, Set<String> required) implements Schema {
        public static final Obj ANY = new Obj(null, null, Set.of());

        public Obj {
            if (names != null && names.size() > 64) {
                throw new IllegalArgumentException("at most 64 properties per object are supported");
            }
        }
    }

    /** An array of {@code items}, with {@code min..max} elements. */
    record Arr(Schema items, int min, int max) implements Schema {
        public static final Arr ANY = new Arr(new Any(), 0, Integer.MAX_VALUE);
    }

    /** A string; {@code values != null} restricts it to those (enum / const). */
    record Str(List<String> values) implements Schema {
    }

    /** A number; {@code integer} forbids a fraction and an exponent. */
    record Num(boolean integer) implements Schema {
    }

    record Bool() implements Schema {
    }

    record Null() implements Schema {
    }
}
