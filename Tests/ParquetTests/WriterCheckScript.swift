/// Reads every file named on the command line (as `name:rows`) with pyarrow, duckdb and polars,
/// compares each with the rows WriterSample generates, and prints the problems as JSON.
enum WriterCheckScript {
    static let source = #"""
        import sys, json
        import pyarrow.parquet as pq, duckdb, polars as pl
        def caption(i):
            if i % 9 == 4: return None
            if i % 31 == 0: return ""
            return f"caption {i} " + ("naïve café ☕ 日本 🎉" if i % 5 == 0 else "plain words")
        def expected(n):
            return {"id": [i * 1000003 - 7 for i in range(n)], "caption": [caption(i) for i in range(n)],
                    "score": [None if i % 6 == 1 else i * 0.125 - 3 for i in range(n)], "path": [f"images/{i}.jpg" for i in range(n)]}
        problems = []
        for arg in sys.argv[1:]:
            path, n = arg.rsplit(":", 1)
            want = expected(int(n))
            pf = pq.ParquetFile(path)
            if pf.metadata.created_by != "laclip": problems.append(f"{path}: created_by {pf.metadata.created_by}")
            if str(pf.schema_arrow.field("caption").type) != "string": problems.append(f"{path}: caption is {pf.schema_arrow.field('caption').type}")
            if pf.schema_arrow.field("id").nullable or not pf.schema_arrow.field("caption").nullable: problems.append(f"{path}: nullability")
            t = pq.read_table(path)
            got = {"pyarrow": {c: t.column(c).to_pylist() for c in want}}
            rel = duckdb.sql(f"SELECT id, caption, score, path FROM read_parquet('{path}')")
            rows = rel.fetchall()
            got["duckdb"] = {c: [r[k] for r in rows] for k, c in enumerate(["id", "caption", "score", "path"])}
            df = pl.read_parquet(path)
            got["polars"] = {c: df[c].to_list() for c in want}
            for reader, cols in got.items():
                for c, values in cols.items():
                    if values != want[c]:
                        bad = next((k for k, (a, b) in enumerate(zip(values, want[c])) if a != b), min(len(values), len(want[c])))
                        problems.append(f"{path}: {reader} column {c}: {len(values)} rows, first difference at {bad}")
        print(json.dumps(problems))
        """#
}
