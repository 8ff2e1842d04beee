import Foundation
import TestSupport
import Testing

/// The path to training for real: laclip's Parquet export → img2dataset (from PyPI) downloads
/// the images from a local HTTP server on loopback and writes WebDataset shards → every
/// sample's `.json` carries its four rewrites, read with the `webdataset` package.
@Suite(
    "img2dataset reads laclip's Parquet", .serialized,
    .enabled(if: PythonReference.isAvailable, "\(PythonReference.unavailableReason ?? "")"))
struct Img2DatasetPathTests {
    @Test func img2datasetCarriesTheRewritesIntoEverySamplesJSON() throws {
        let dir = try TemporaryDirectory("laclip-img2dataset")
        let port = try FreePort.find()
        let count = 24
        try PythonReference.run(
            #"""
            import os, sys, cv2, numpy as np, pyarrow as pa, pyarrow.parquet as pq
            out, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            os.makedirs(os.path.join(out, "www"))
            for i in range(n):
                cv2.imwrite(os.path.join(out, "www", f"{i}.jpg"), np.full((32 + i, 48, 3), (i * 9) % 255, np.uint8))
            pq.write_table(pa.table({"uid": [f"uid{i:04d}" for i in range(n)],
                                     "url": [f"http://127.0.0.1:{port}/{i}.jpg" for i in range(n)],
                                     "TEXT": [f"caption {i} of a grey image" for i in range(n)]}), os.path.join(out, "meta.parquet"))
            """#, [dir.url.path, String(port), String(count)])
        let server = try ProcessRunner.start(
            PythonReference.python,
            [
                "-m", "http.server", String(port), "--bind", "127.0.0.1",
                "--directory", dir.path("www").path,
            ])
        defer {
            server.signal(SIGKILL)
            _ = server.wait()
        }
        let fixture = FormatJob(job: dir.path("job"))
        try FormatJob.enqueue([dir.path("meta.parquet").path], job: fixture.job).succeeded("enqueue")
        try fixture.complete()
        try fixture.export(["--format", "parquet", "--out", dir.path("rewrites.parquet").path]).succeeded("export")

        let styles = ["chatgpt", "bard", "coco", "human"]
        let output = try PythonReference.run(
            #"""
            import json, os, subprocess, sys, time, urllib.request
            import webdataset as wds
            out, port, styles = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/0.jpg", timeout=1); break
                except Exception:
                    time.sleep(0.1)
            env = dict(os.environ, NO_ALBUMENTATIONS_UPDATE="1")
            subprocess.run([os.path.join(os.path.dirname(sys.executable), "img2dataset"), "--url_list", os.path.join(out, "rewrites.parquet"),
                            "--input_format", "parquet", "--url_col", "url", "--caption_col", "TEXT",
                            "--save_additional_columns", json.dumps(["uid"] + styles), "--output_format", "webdataset",
                            "--output_folder", os.path.join(out, "shards"), "--processes_count", "1", "--thread_count", "4",
                            "--resize_mode", "no", "--enable_wandb", "False"], check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples = {}
            for s in wds.WebDataset(os.path.join(out, "shards", "00000.tar"), shardshuffle=False).decode():
                samples[s["json"]["uid"]] = {k: s["json"][k] for k in ["caption"] + styles}
            print(json.dumps(samples))
            """#, [dir.url.path, String(port), String(decoding: try JSONEncoder().encode(styles), as: UTF8.self)])
        let samples = try JSONDecoder().decode([String: [String: String]].self, from: Data(output.utf8))
        #expect(samples.count == count)
        for i in 0..<count {
            let sample = samples[String(format: "uid%04d", i)]
            let original = "caption \(i) of a grey image"
            #expect(sample?["caption"] == original)
            for (s, style) in styles.enumerated() {
                let stored = FormatJob.rewrite(caption: Int64(i), style: s)
                #expect(sample?[style] == (stored.contains(" ") ? stored : original), "uid \(i) \(style)")
            }
        }
    }
}
