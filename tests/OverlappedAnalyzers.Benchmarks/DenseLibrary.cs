using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// The hand-written dense corpus (issue 15): a socket library of about 2,000 lines in 16 files
    /// (<c>DenseLibrary/*.cs</c>, embedded in the benchmark, not compiled into it), layered like AsyncIO — interop, an
    /// overlapped type, pinned buffers, native pools, address encoding, socket, listener, connector, completion port, and a
    /// server tying them together. Mostly correct code; its known bugs: Send throws without Complete (OVL001), Receive
    /// completes the other overlapped (OVL002), WsaBufferList.Add leaks a pin on its throw (OVL003), AsyncListener.Dispose
    /// never disposes its accept overlapped (OVL004), SocketAddressEncoder.Query leaks its block on its throw (OVL005),
    /// Connector starts the operation after ConnectEx (OVL006).
    /// </summary>
    internal static class DenseLibrary
    {
        private const string Prefix = "DenseLibrary/";

        /// <summary>The file the latency configuration edits: the socket, about 700 lines holding all six rules' shapes.</summary>
        public const string SocketFile = "DenseLibrary/AsyncSocket.cs";

        public static IReadOnlyList<CorpusFile> Load()
        {
            var assembly = typeof(DenseLibrary).Assembly;
            var files = new List<CorpusFile>();
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal))
            {
                using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException("missing resource " + name);
                using var reader = new StreamReader(stream);
                files.Add(new CorpusFile(name, reader.ReadToEnd(), true));
            }

            if (files.Count == 0)
            {
                throw new InvalidOperationException("no DenseLibrary/*.cs resources in " + assembly.GetName().Name + ": check the project's EmbeddedResource item");
            }

            return files;
        }
    }
}
