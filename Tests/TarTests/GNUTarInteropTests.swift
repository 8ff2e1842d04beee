import Foundation
import Seeding
import Tar
import TestSupport
import Testing

/// GNU tar writes the archives (gnu, pax, ustar formats) and lists ours: the real tool is the
/// oracle for long names, UTF-8 names, directories and links.
@Suite("GNU tar interop", .enabled(if: TarTestSupport.systemTar != nil, "no tar at /usr/bin/tar or /bin/tar"))
struct GNUTarInteropTests {
    typealias T = TarTestSupport

    struct Tree {
        var files: [(name: String, data: [UInt8])]
        var directories: [String]
        var symlink: (name: String, target: String)?
    }

    /// Files under `root`, with a 150-byte component, a > 255-byte path, UTF-8 names and a
    /// member whose size is a whole number of blocks.
    static func longTree() -> Tree {
        var generator = SeededGenerator(seed: 11)
        let deep =
            String(repeating: "d", count: 120) + "/" + String(repeating: "e", count: 120) + "/"
            + String(repeating: "f", count: 120)
        return Tree(
            files: [
                ("000001.jpg", T.randomBytes(3000, &generator)),
                ("000001.txt", Array("a cat on a mat".utf8)),
                (String(repeating: "n", count: 150) + ".json", Array("{\"k\": 1}".utf8)),
                (deep + "/000002.jpg", T.randomBytes(1024, &generator)),
                ("caf\u{e9}/\u{732b}\u{1F642} photo.txt", Array("unicode".utf8)),
                ("empty.txt", []),
            ],
            directories: [String(repeating: "d", count: 120)],
            symlink: ("link.jpg", "000001.jpg"))
    }

    /// Names ustar can hold: at most 100 bytes, or 155 of prefix plus 100 after a slash.
    static func ustarTree() -> Tree {
        var generator = SeededGenerator(seed: 12)
        let prefix = String(repeating: "p", count: 90) + "/" + String(repeating: "q", count: 60)
        return Tree(
            files: [
                ("a/000001.jpg", T.randomBytes(513, &generator)),
                (prefix + "/" + String(repeating: "r", count: 95) + ".txt", Array("split name".utf8)),
            ],
            directories: ["a"],
            symlink: nil)
    }

    func makeArchive(_ tree: Tree, format: String, in dir: TemporaryDirectory) throws -> URL {
        let root = dir.path("root-\(format)")
        var names: [String] = []
        for directory in tree.directories {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
            names.append(directory)
        }
        for file in tree.files {
            let url = root.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.data).write(to: url)
            names.append(file.name)
        }
        if let symlink = tree.symlink {
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent(symlink.name).path,
                withDestinationPath: symlink.target)
            names.append(symlink.name)
        }
        let archive = dir.path("\(format).tar")
        let tar = try #require(T.systemTar)
        let output = try ProcessRunner.run(
            tar, ["--format=\(format)", "--no-recursion", "-cf", archive.path, "-C", root.path] + names)
        #expect(output.status == 0, "\(output)")
        return archive
    }

    func check(_ tree: Tree, archive: URL) throws {
        let members = try T.readAll(archive)
        let expectedNames =
            tree.directories.map { $0 + "/" } + tree.files.map(\.name) + (tree.symlink.map { [$0.name] } ?? [])
        #expect(members.map(\.name) == expectedNames)
        for file in tree.files {
            let member = members.first { $0.name == file.name }
            #expect(member?.type == .regularFile)
            #expect(member?.data == file.data, "data of \(file.name)")
        }
        for directory in tree.directories {
            #expect(members.first { $0.name == directory + "/" }?.type == .directory)
        }
        if let symlink = tree.symlink {
            let member = members.first { $0.name == symlink.name }
            #expect(member?.type == .symbolicLink)
            #expect(member?.linkName == symlink.target)
            #expect(member?.size == 0)
        }
    }

    @Test(
        "GNU tar --format=gnu and --format=pax: long (> 100, > 255 bytes) and UTF-8 names", arguments: ["gnu", "pax"])
    func longNames(format: String) throws {
        let dir = try TemporaryDirectory()
        let tree = Self.longTree()
        try check(tree, archive: try makeArchive(tree, format: format, in: dir))
    }

    @Test("GNU tar --format=ustar: names split across prefix and name")
    func ustar() throws {
        let dir = try TemporaryDirectory()
        let tree = Self.ustarTree()
        try check(tree, archive: try makeArchive(tree, format: "ustar", in: dir))
    }

    @Test("GNU tar lists and extracts what TarWriter writes, long and UTF-8 names included")
    func listsOurArchive() throws {
        let dir = try TemporaryDirectory()
        let tree = Self.longTree()
        let archive = dir.path("ours.tar")
        let writer = try TarWriter(path: archive.path, syncOnFinish: false)
        for file in tree.files {
            try writer.append(name: file.name, data: file.data, mode: 0o640, mtime: 1_700_000_000)
        }
        try writer.finish()

        let tar = try #require(T.systemTar)
        let verbose = try ProcessRunner.run(tar, ["-tvf", archive.path])
        #expect(verbose.status == 0, "\(verbose)")
        #expect(verbose.stderr.isEmpty, "\(verbose)")
        let listing = try ProcessRunner.run(
            tar, ["--quoting-style=literal", "-tf", archive.path], environment: ["LC_ALL": "C.UTF-8"])
        #expect(listing.status == 0, "\(listing)")
        #expect(listing.stdout.split(separator: "\n").map(String.init) == tree.files.map(\.name))

        let out = dir.path("extracted")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let extract = try ProcessRunner.run(
            tar, ["-xf", archive.path, "-C", out.path], environment: ["LC_ALL": "C.UTF-8"])
        #expect(extract.status == 0, "\(extract)")
        for file in tree.files {
            #expect(try T.bytes(out.appendingPathComponent(file.name)) == file.data, "extracted \(file.name)")
        }
    }
}
