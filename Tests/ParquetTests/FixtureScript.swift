/// The Python script that writes the reader fixtures: one pyarrow table (flat columns of every
/// supported type, nulls, non-ASCII and invalid UTF-8, a LIST and a struct column) written by
/// pyarrow in every codec × dictionary × page version, with delta encodings, by duckdb and by
/// polars; plus single-page files for the corruption tests. The expected values go to
/// manifest.json, byte arrays in base64.
enum FixtureScript {
    static let source = #"""
        import sys, json, base64, os
        import pyarrow as pa, pyarrow.parquet as pq
        out = sys.argv[1]
        n = 2500
        def s_val(i):
            if i % 7 == 3: return None
            if i % 17 == 0: return ""
            v = f"row {i} " + ("alpha beta gamma " * (i % 5))
            if i % 13 == 0: v += "café ☕ 日本語 🎉"
            return v
        def b_val(i):
            if i % 11 == 5: return None
            return bytes([0xff, 0xfe, i % 256, 0x00, 0xc3]) + f"bin{i % 97}".encode()
        cols = {
            "id": pa.array([i * (2**33) - 2**40 for i in range(n)], pa.int64()),
            "i32": pa.array([None if i % 19 == 2 else (i * 7919) % 100003 - 50000 for i in range(n)], pa.int32()),
            "f64": pa.array([None if i % 23 == 4 else i * 0.25 - 100.0 for i in range(n)], pa.float64()),
            "flag": pa.array([None if i % 29 == 1 else i % 3 == 0 for i in range(n)], pa.bool_()),
            "s": pa.array([s_val(i) for i in range(n)], pa.string()),
            "cat": pa.array([f"cat{i % 10}" for i in range(n)], pa.string()),
            "ls": pa.array([s_val(i + 1) for i in range(n)], pa.large_string()),
            "b": pa.array([b_val(i) for i in range(n)], pa.binary()),
            "tags": pa.array([list(range(i, i + i % 3)) for i in range(n)], pa.list_(pa.int64())),
            "meta": pa.array([{"a": i, "z": str(i)} for i in range(n)], pa.struct([("a", pa.int64()), ("z", pa.string())])),
        }
        t = pa.table(cols)
        def enc(v):
            if v is None: return None
            if isinstance(v, bool): return v
            if isinstance(v, str): return base64.b64encode(v.encode()).decode()
            if isinstance(v, bytes): return base64.b64encode(v).decode()
            return v
        expected = {name: [enc(v) for v in t.column(name).to_pylist()] for name in ["id", "i32", "f64", "flag", "s", "cat", "ls", "b"]}
        files = []
        def add(name, writer, **kw):
            path = os.path.join(out, name)
            if writer == "pyarrow":
                pq.write_table(t, path, **kw)
            files.append(name)
        for codec in ["NONE", "SNAPPY", "GZIP", "ZSTD"]:
            for use_dict in [True, False]:
                for version in ["1.0", "2.0"]:
                    add(f"pa-{codec}-{'dict' if use_dict else 'plain'}-v{version[0]}.parquet", "pyarrow", compression=codec,
                        use_dictionary=use_dict, data_page_version=version, row_group_size=1000, data_page_size=2048)
        add("pa-one-group.parquet", "pyarrow", compression="SNAPPY")
        add("pa-dict-fallback.parquet", "pyarrow", compression="SNAPPY", dictionary_pagesize_limit=512, data_page_size=1024)
        delta = {"id": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "s": "DELTA_LENGTH_BYTE_ARRAY",
                 "ls": "DELTA_BYTE_ARRAY", "b": "DELTA_BYTE_ARRAY", "cat": "DELTA_BYTE_ARRAY", "f64": "BYTE_STREAM_SPLIT", "flag": "RLE"}
        for version in ["1.0", "2.0"]:
            for codec in ["NONE", "ZSTD"]:
                add(f"pa-delta-{codec}-v{version[0]}.parquet", "pyarrow", compression=codec, use_dictionary=False,
                    column_encoding=delta, data_page_version=version, row_group_size=900, data_page_size=4096)
        import duckdb
        con = duckdb.connect()
        con.register("t", t)
        for codec, extra in [("zstd", ""), ("snappy", ""), ("uncompressed", ", PARQUET_VERSION V2"), ("zstd", ", PARQUET_VERSION V2"), ("gzip", ", ROW_GROUP_SIZE 700")]:
            name = f"duckdb-{codec}{'-v2' if 'V2' in extra else ''}{'-rg' if 'ROW_GROUP' in extra else ''}.parquet"
            con.execute(f"COPY (SELECT * FROM t) TO '{os.path.join(out, name)}' (FORMAT parquet, COMPRESSION {codec}{extra})")
            files.append(name)
        import polars as pl
        df = pl.from_arrow(t)
        for codec in ["uncompressed", "snappy", "gzip", "zstd"]:
            name = f"polars-{codec}.parquet"
            df.write_parquet(os.path.join(out, name), compression=codec, row_group_size=800)
            files.append(name)
        # Single-page files whose first column chunk the corruption tests damage.
        one = pa.table({"s": pa.array([f"caption number {i % 50} of a repetitive text" for i in range(4000)], pa.string())})
        damage = {}
        for codec in ["NONE", "SNAPPY", "ZSTD", "GZIP"]:
            name = f"single-{codec}.parquet"
            path = os.path.join(out, name)
            pq.write_table(one, path, compression=codec, use_dictionary=False, data_page_size=1 << 22)
            md = pq.ParquetFile(path).metadata.row_group(0).column(0)
            damage[name] = {"data_page_offset": md.data_page_offset, "total_compressed_size": md.total_compressed_size}
        json.dump({"rows": n, "expected": expected, "files": files, "damage": damage}, open(os.path.join(out, "manifest.json"), "w"))
        print("ok", len(files))
        """#
}
