"""Per-agent figures of a Baton export with DuckDB's read_json: the DuckDB
baseline. Usage: python3 kpis.py FILE json|ndjson"""
import os
import sys

import duckdb

path, kind = sys.argv[1], sys.argv[2]
tokens = "STRUCT(input UBIGINT, output UBIGINT, cache_read UBIGINT, cache_write UBIGINT)"
op = f"agent VARCHAR, outcome VARCHAR, duration DOUBLE, tokens {tokens}"
quoted = path.replace("'", "''")
con = duckdb.connect()
if kind == "ndjson":
    source = (
        f"(SELECT * FROM read_json('{quoted}', format='newline_delimited', "
        f"columns={{type: 'VARCHAR', agent: 'VARCHAR', outcome: 'VARCHAR', "
        f"duration: 'DOUBLE', tokens: '{tokens}'}}) WHERE type = 'operation')"
    )
else:
    size = os.path.getsize(path) + 1
    source = (
        f"(SELECT unnest(operations, recursive := true) FROM read_json('{quoted}', "
        f"format='auto', maximum_object_size={size}, "
        f"columns={{operations: 'STRUCT({op})[]'}}))"
    )
finished = "outcome IN ('success', 'failure')"
tok = "coalesce(input, 0) + coalesce(output, 0) + coalesce(cache_read, 0) + coalesce(cache_write, 0)"
if kind == "ndjson":
    tok = tok.replace("coalesce(", "coalesce(tokens.")
    has_tokens = "tokens IS NOT NULL"
else:
    # unnest(recursive) flattens tokens into its four columns.
    has_tokens = "NOT (input IS NULL AND output IS NULL AND cache_read IS NULL AND cache_write IS NULL)"
rows = con.execute(
    f"""
    SELECT agent,
           count(*) FILTER (WHERE {finished}),
           (count(*) FILTER (WHERE outcome = 'success'))::DOUBLE
               / nullif(count(*) FILTER (WHERE {finished}), 0),
           avg(duration) FILTER (WHERE {finished}),
           quantile_disc(duration, 0.95) FILTER (WHERE {finished}),
           sum({tok}) FILTER (WHERE {has_tokens})
    FROM {source}
    GROUP BY agent ORDER BY agent
    """
).fetchall()
out = []
for r in rows:
    out.append("\t".join("null" if v is None else repr(v) if isinstance(v, float) else str(v) for v in r))
sys.stdout.write("\n".join(out) + "\n")
