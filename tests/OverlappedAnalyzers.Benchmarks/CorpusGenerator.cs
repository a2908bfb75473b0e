using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>One generated source file.</summary>
    internal sealed record CorpusFile(string Path, string Text, bool HasOverlappedCode);

    /// <summary>
    /// Deterministic (seeded) C# corpora: ordinary application code, a chosen share of files with IOCP socket code
    /// shaped like the incident's (an Overlapped class with StartOperation/Complete, AllocHGlobal, a Normal GCHandle,
    /// socket methods that start, call the native API with ov.Address and test for IO pending), and the giant-method
    /// stress file. Every file compiles without errors against the running framework's assemblies (checked at run time).
    /// </summary>
    internal static class CorpusGenerator
    {
        private const string OrdinaryUsings =
            "using System;\nusing System.Collections.Generic;\nusing System.IO;\nusing System.Linq;\nusing System.Text;\nusing System.Threading;\nusing System.Threading.Tasks;\n\n";

        private const string InteropUsings =
            "using System;\nusing System.ComponentModel;\nusing System.Net.Sockets;\nusing System.Runtime.InteropServices;\nusing System.Threading;\n\n";

        /// <summary>
        /// <paramref name="files"/> files; <paramref name="overlappedShare"/> of them (spread evenly, at least one when the share is
        /// positive) hold overlapped code.
        /// </summary>
        public static IReadOnlyList<CorpusFile> Generate(int files, double overlappedShare, int seed)
        {
            var random = new Random(seed);
            int overlappedCount = overlappedShare <= 0 ? 0 : Math.Max(1, (int)Math.Round(files * overlappedShare));
            var result = new List<CorpusFile>(files);
            int stride = overlappedCount == 0 ? int.MaxValue : files / overlappedCount;
            int placed = 0;
            for (int i = 0; i < files; i++)
            {
                bool overlapped = placed < overlappedCount && i % stride == stride / 2;
                string text;
                if (overlapped)
                {
                    placed++;
                    text = OverlappedFile(i, random);
                }
                else
                {
                    text = OrdinaryFile(i, random);
                }

                result.Add(new CorpusFile($"Corpus/File{i:D5}.cs", text, overlapped));
            }

            return result;
        }

        /// <summary>
        /// The super-linearity probe: one method of about <paramref name="lines"/> lines holding <paramref name="startSites"/> start
        /// sites (<paramref name="split"/> false), or the very same segments as <paramref name="startSites"/> ordinary-sized methods
        /// (<paramref name="split"/> true), the per-line yardstick.
        /// </summary>
        public static IReadOnlyList<CorpusFile> GiantMethod(int lines, int startSites, bool split, int seed)
        {
            var random = new Random(seed);
            var sb = new StringBuilder();
            sb.Append(InteropUsings);
            sb.Append("namespace Corpus.Giant\n{\n");
            AppendOverlappedType(sb, "PumpOverlapped");
            AppendNative(sb);
            sb.Append("    public sealed class Pump : IDisposable\n    {\n");
            sb.Append("        private readonly IntPtr m_handle;\n");
            for (int o = 0; o < 4; o++)
            {
                sb.Append("        private readonly PumpOverlapped m_ov").Append(o).Append(" = new PumpOverlapped();\n");
            }

            sb.Append("        public Pump(IntPtr handle) { m_handle = handle; }\n");
            sb.Append("        public long Total { get; private set; }\n");
            sb.Append("        public int Failures { get; private set; }\n\n");

            // Each segment is SegmentLines lines; pad with ordinary statements to reach the requested size.
            int perSegment = Math.Max(16, lines / startSites);
            if (!split)
            {
                sb.Append("        public void Run(IntPtr buffers, int limit)\n        {\n");
                AppendPumpLocals(sb, compact: false);
            }

            for (int k = 0; k < startSites; k++)
            {
                if (split)
                {
                    // Compact frame (3 lines per method) so the split corpus has nearly the same lines as the giant one.
                    sb.Append("        public void Run").Append(k).Append("(IntPtr buffers, int limit) {\n");
                    AppendPumpLocals(sb, compact: true);
                }

                AppendPumpSegment(sb, k, perSegment, random);
                if (split)
                {
                    sb.Append("            Total += total; Failures += failures; }\n");
                }
            }

            if (!split)
            {
                sb.Append("            Total += total;\n            Failures += failures;\n        }\n\n");
            }

            sb.Append("        public void Dispose()\n        {\n");
            for (int o = 0; o < 4; o++)
            {
                sb.Append("            m_ov").Append(o).Append(".Dispose();\n");
            }

            sb.Append("        }\n    }\n}\n");
            return new[] { new CorpusFile(split ? "Corpus/GiantSplit.cs" : "Corpus/GiantMethod.cs", sb.ToString(), true) };
        }

        private static void AppendPumpLocals(StringBuilder sb, bool compact)
        {
            string separator = compact ? " " : "\n            ";
            sb.Append("            long total = 0;").Append(separator).Append("int failures = 0;").Append(separator).Append("int transferred;").Append(separator)
                .Append("SocketFlags flags;").Append(separator).Append("SocketError error;").Append(separator).Append("bool failed = false;\n");
        }

        private static void AppendPumpSegment(StringBuilder sb, int k, int segmentLines, Random random)
        {
            string ov = "m_ov" + (k % 4).ToString(CultureInfo.InvariantCulture);
            int written = 0;
            void Line(string s)
            {
                sb.Append("            ").Append(s).Append('\n');
                written++;
            }

            Line("// segment " + k.ToString(CultureInfo.InvariantCulture));
            Line(ov + ".StartOperation();");
            Line("flags = SocketFlags.None;");
            Line("error = Native.WSARecv(m_handle, buffers, " + (k % 7 + 1).ToString(CultureInfo.InvariantCulture) + ", out transferred, ref flags, " + ov + ".Address, IntPtr.Zero);");
            Line("if (error != SocketError.Success)");
            Line("{");
            Line("    error = (SocketError)Marshal.GetLastWin32Error();");
            Line("    if (error != SocketError.IOPending)");
            Line("    {");
            int shape = random.Next(10);
            if (shape == 0)
            {
                // Fall through with the failure recorded: keeps a pending receiver alive across later segments.
                Line("        failed = true;");
                Line("        failures++;");
            }
            else
            {
                if (shape != 1)
                {
                    Line("        " + ov + ".Complete();");
                }

                Line("        throw new SocketException((int)error);");
            }

            Line("    }");
            Line("}");
            Line("else");
            Line("{");
            Line("    total += transferred;");
            Line("}");
            int filler = 0;
            while (written < segmentLines - 1)
            {
                switch (filler++ % 4)
                {
                    case 0: Line("if (total > limit) { total -= limit; failures += failed ? 1 : 0; }"); break;
                    case 1: Line("total = (total * 31 + " + random.Next(1000).ToString(CultureInfo.InvariantCulture) + ") % 1000003;"); break;
                    case 2: Line("failed = failed && total % 2 == 0;"); break;
                    default: Line("limit = Math.Max(1, limit - " + random.Next(1, 5).ToString(CultureInfo.InvariantCulture) + ");"); break;
                }
            }

            Line(string.Empty);
        }

        private static string OrdinaryFile(int i, Random random)
        {
            var sb = new StringBuilder(6000);
            sb.Append(OrdinaryUsings);
            sb.Append("namespace Corpus.N").Append(i.ToString("D5", CultureInfo.InvariantCulture)).Append("\n{\n");
            switch (random.Next(4))
            {
                case 0: AppendRepository(sb, random); break;
                case 1: AppendAsyncService(sb, random); break;
                case 2: AppendStateMachine(sb, random); break;
                default: AppendPipeline(sb, random); break;
            }

            sb.Append("}\n");
            return sb.ToString();
        }

        private static string N(Random random, int max) => random.Next(1, max).ToString(CultureInfo.InvariantCulture);

        private static void AppendRepository(StringBuilder sb, Random random)
        {
            sb.Append(@"    public sealed class Customer
    {
        public int Id { get; set; }
        public string Name { get; set; } = string.Empty;
        public decimal Balance { get; set; }
        public DateTime Created { get; init; }
        public bool IsActive => Balance >= 0m;
        public override string ToString() => $""{Id}:{Name}"";
    }

    public interface IRepository<T> where T : class
    {
        int Count { get; }
        void Add(T item);
        IReadOnlyList<T> Where(Func<T, bool> predicate);
    }

    public sealed class Repository<T> : IRepository<T> where T : class
    {
        private readonly List<T> _items = new List<T>();
        private readonly object _gate = new object();

        public int Count { get { lock (_gate) { return _items.Count; } } }

        public void Add(T item)
        {
            if (item is null)
            {
                throw new ArgumentNullException(nameof(item));
            }

            lock (_gate)
            {
                _items.Add(item);
            }
        }

        public IReadOnlyList<T> Where(Func<T, bool> predicate)
        {
            lock (_gate)
            {
                return _items.Where(predicate).ToList();
            }
        }
    }

    public static class CustomerQueries
    {
        public static decimal TotalActive(IEnumerable<Customer> customers) =>
            customers.Where(c => c.IsActive).Sum(c => c.Balance);

        public static Dictionary<char, int> ByInitial(IEnumerable<Customer> customers) =>
            customers.Where(c => c.Name.Length > 0)
                .GroupBy(c => char.ToUpperInvariant(c.Name[0]))
                .OrderBy(g => g.Key)
                .ToDictionary(g => g.Key, g => g.Count());

        public static IEnumerable<Customer> Top(IEnumerable<Customer> customers, int count)
        {
            foreach (var customer in customers.OrderByDescending(c => c.Balance).Take(count))
            {
                yield return customer;
            }
        }

        public static string Report(IReadOnlyList<Customer> customers)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < customers.Count; i++)
            {
                var c = customers[i];
                string band = c.Balance switch
                {
                    < 0m => ""overdrawn"",
                    < ").Append(N(random, 1000)).Append(@"m => ""small"",
                    _ => ""large"",
                };
                sb.Append(c.Name).Append(' ').Append(band).AppendLine();
            }

            return sb.ToString();
        }

        public static Customer Parse(string line)
        {
            var parts = line.Split(',');
            if (parts.Length != 3)
            {
                throw new FormatException(""expected 3 fields, got "" + parts.Length);
            }

            try
            {
                return new Customer { Id = int.Parse(parts[0]), Name = parts[1].Trim(), Balance = decimal.Parse(parts[2]) };
            }
            catch (OverflowException ex)
            {
                throw new FormatException(""number out of range: "" + line, ex);
            }
        }
    }
");
        }

        private static void AppendAsyncService(StringBuilder sb, Random random)
        {
            sb.Append(@"    public sealed class FileProcessor : IDisposable
    {
        private readonly MemoryStream _buffer = new MemoryStream();
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(").Append(N(random, 8)).Append(@");
        private int _processed;
        private bool _disposed;

        public int Processed => Volatile.Read(ref _processed);

        public async Task<string> ReadAllAsync(string path, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                string text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _processed);
                return text;
            }
            catch (FileNotFoundException ex)
            {
                throw new InvalidOperationException(""missing input "" + path, ex);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task<int> CountLinesAsync(Stream source)
        {
            int lines = 0;
            using (var reader = new StreamReader(source, Encoding.UTF8, false, 1024, leaveOpen: true))
            {
                while (await reader.ReadLineAsync().ConfigureAwait(false) is string line)
                {
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        lines++;
                    }
                }
            }

            return lines;
        }

        public async Task<IReadOnlyList<int>> LengthsAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
        {
            var tasks = paths.Select(async p => (await ReadAllAsync(p, cancellationToken).ConfigureAwait(false)).Length);
            int[] lengths = await Task.WhenAll(tasks).ConfigureAwait(false);
            return lengths.OrderBy(x => x).ToArray();
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _buffer.Write(data);
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _buffer.Dispose();
            _gate.Dispose();
        }
    }

    public static class Retry
    {
        public static async Task<T> WithRetryAsync<T>(Func<Task<T>> action, int attempts)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await action().ConfigureAwait(false);
                }
                catch (IOException) when (attempt < attempts)
                {
                    await Task.Delay(").Append(N(random, 100)).Append(@" * attempt).ConfigureAwait(false);
                }
            }
        }
    }
");
        }

        private static void AppendStateMachine(StringBuilder sb, Random random)
        {
            sb.Append(@"    public enum OrderState { New, Paid, Shipped, Delivered, Cancelled }

    public readonly struct Money : IEquatable<Money>
    {
        public Money(decimal amount, string currency) { Amount = amount; Currency = currency; }
        public decimal Amount { get; }
        public string Currency { get; }
        public static Money operator +(Money a, Money b) =>
            a.Currency == b.Currency ? new Money(a.Amount + b.Amount, a.Currency) : throw new InvalidOperationException(""currency mismatch"");
        public bool Equals(Money other) => Amount == other.Amount && Currency == other.Currency;
        public override bool Equals(object obj) => obj is Money m && Equals(m);
        public override int GetHashCode() => HashCode.Combine(Amount, Currency);
    }

    public sealed class Order
    {
        private readonly List<(string Sku, int Quantity, Money Price)> _lines = new List<(string, int, Money)>();

        public Order(int id) { Id = id; }

        public int Id { get; }
        public OrderState State { get; private set; }
        public event EventHandler<OrderState> StateChanged;

        public Money Total => _lines.Aggregate(new Money(0m, ""EUR""), (sum, l) => sum + new Money(l.Price.Amount * l.Quantity, l.Price.Currency));

        public void AddLine(string sku, int quantity, Money price)
        {
            if (State != OrderState.New)
            {
                throw new InvalidOperationException($""order {Id} is {State}"");
            }

            if (quantity <= 0 || quantity > ").Append(N(random, 500)).Append(@")
            {
                throw new ArgumentOutOfRangeException(nameof(quantity));
            }

            _lines.Add((sku, quantity, price));
        }

        public void Advance(OrderState next)
        {
            bool allowed = (State, next) switch
            {
                (OrderState.New, OrderState.Paid) => true,
                (OrderState.Paid, OrderState.Shipped) => true,
                (OrderState.Shipped, OrderState.Delivered) => true,
                (OrderState.Delivered, _) => false,
                (_, OrderState.Cancelled) => State != OrderState.Cancelled,
                _ => false,
            };
            if (!allowed)
            {
                throw new InvalidOperationException($""{State} -> {next}"");
            }

            State = next;
            StateChanged?.Invoke(this, next);
        }

        public IEnumerable<string> Describe()
        {
            yield return ""Order "" + Id;
            foreach (var (sku, quantity, price) in _lines)
            {
                yield return $""  {sku} x{quantity} @ {price.Amount} {price.Currency}"";
            }
        }
    }

    public static class OrderStatistics
    {
        public static double AverageLines(IEnumerable<Order> orders) =>
            orders.Select(o => o.Describe().Count() - 1).DefaultIfEmpty().Average();

        public static ILookup<OrderState, int> IdsByState(IEnumerable<Order> orders) => orders.ToLookup(o => o.State, o => o.Id);
    }
");
        }

        private static void AppendPipeline(StringBuilder sb, Random random)
        {
            sb.Append(@"    public interface IStage<in TIn, out TOut>
    {
        TOut Process(TIn input);
    }

    public sealed class Tokenizer : IStage<string, IReadOnlyList<string>>
    {
        private static readonly char[] Separators = { ' ', '\t', ',', ';' };

        public IReadOnlyList<string> Process(string input) =>
            input.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(t => t.ToLowerInvariant()).ToList();
    }

    public sealed class Counter : IStage<IReadOnlyList<string>, IDictionary<string, int>>
    {
        public IDictionary<string, int> Process(IReadOnlyList<string> input)
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var token in input)
            {
                counts[token] = counts.TryGetValue(token, out int n) ? n + 1 : 1;
            }

            return counts;
        }
    }

    public sealed class Pipeline<TIn, TMid, TOut>
    {
        private readonly IStage<TIn, TMid> _first;
        private readonly IStage<TMid, TOut> _second;

        public Pipeline(IStage<TIn, TMid> first, IStage<TMid, TOut> second)
        {
            _first = first ?? throw new ArgumentNullException(nameof(first));
            _second = second ?? throw new ArgumentNullException(nameof(second));
        }

        public TOut Run(TIn input) => _second.Process(_first.Process(input));

        public async Task<TOut[]> RunAllAsync(IEnumerable<TIn> inputs, CancellationToken cancellationToken)
        {
            var results = new List<TOut>();
            foreach (var input in inputs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(await Task.Run(() => Run(input), cancellationToken).ConfigureAwait(false));
            }

            return results.ToArray();
        }
    }

    public static class TextTools
    {
        public static string Normalize(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var sb = new StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    if (!space)
                    {
                        sb.Append(' ');
                    }

                    space = true;
                    continue;
                }

                space = false;
                sb.Append(c);
            }

            return sb.ToString().Trim();
        }

        public static IEnumerable<(string Word, int Count)> Frequent(string text, int minimum = ").Append(N(random, 5)).Append(@")
        {
            var pipeline = new Pipeline<string, IReadOnlyList<string>, IDictionary<string, int>>(new Tokenizer(), new Counter());
            return pipeline.Run(Normalize(text)).Where(kv => kv.Value >= minimum).Select(kv => (kv.Key, kv.Value));
        }

        public static string ReadHeader(string path)
        {
            using (var reader = File.OpenText(path))
            {
                return reader.ReadLine() ?? throw new InvalidDataException(""empty file: "" + path);
            }
        }
");
            if (random.Next(3) == 0)
            {
                // Ordinary code has ordinary leaks too: something for CA2000 and IDisposableAnalyzers to find.
                sb.Append(@"
        public static string ReadFooter(string path)
        {
            var reader = new StreamReader(path);
            string last = null;
            while (reader.ReadLine() is string line)
            {
                last = line;
            }

            return last;
        }
");
            }

            sb.Append("    }\n");
        }

        private static void AppendOverlappedType(StringBuilder sb, string name)
        {
            sb.Append(@"    /// <summary>An OVERLAPPED block in native memory with a Normal GCHandle to its managed owner, found again by the completion port.</summary>
    internal sealed class ").Append(name).Append(@" : IDisposable
    {
        private const int OverlappedSize = 32;
        private readonly IntPtr m_address;
        private GCHandle m_handle;

        public ").Append(name).Append(@"()
        {
            m_address = Marshal.AllocHGlobal(OverlappedSize + IntPtr.Size);
            for (int i = 0; i < OverlappedSize; i++)
            {
                Marshal.WriteByte(m_address, i, 0);
            }

            m_handle = GCHandle.Alloc(this, GCHandleType.Normal);
            Marshal.WriteIntPtr(m_address, OverlappedSize, GCHandle.ToIntPtr(m_handle));
        }

        public IntPtr Address => m_address;
        public bool InProgress { get; private set; }
        public bool Disposed { get; private set; }
        public object State { get; set; }

        public void StartOperation()
        {
            InProgress = true;
        }

        public void Complete()
        {
            InProgress = false;
            if (Disposed)
            {
                Free();
            }
        }

        public static ").Append(name).Append(@" FromAddress(IntPtr overlapped)
        {
            var handle = GCHandle.FromIntPtr(Marshal.ReadIntPtr(overlapped, OverlappedSize));
            return (").Append(name).Append(@")handle.Target;
        }

        public void Dispose()
        {
            Disposed = true;
            if (!InProgress)
            {
                Free();
            }
        }

        private void Free()
        {
            if (m_handle.IsAllocated)
            {
                m_handle.Free();
                Marshal.FreeHGlobal(m_address);
            }
        }
    }

");
        }

        private static void AppendNative(StringBuilder sb)
        {
            sb.Append(@"    internal static unsafe class Native
    {
        public const int ERROR_IO_PENDING = 997;

        [DllImport(""ws2_32.dll"", SetLastError = true)]
        public static extern SocketError WSARecv(IntPtr socket, IntPtr buffers, int count, out int transferred, ref SocketFlags flags, IntPtr overlapped, IntPtr completion);

        [DllImport(""ws2_32.dll"", SetLastError = true)]
        public static extern SocketError WSASend(IntPtr socket, IntPtr buffers, int count, out int transferred, SocketFlags flags, IntPtr overlapped, IntPtr completion);

        [DllImport(""mswsock.dll"", SetLastError = true)]
        public static extern bool AcceptEx(IntPtr listen, IntPtr accept, IntPtr buffer, int receiveLength, int localLength, int remoteLength, out int received, IntPtr overlapped);

        [DllImport(""kernel32.dll"", SetLastError = true)]
        public static extern bool ReadFile(SafeHandle file, byte* buffer, int count, IntPtr read, NativeOverlapped* overlapped);
    }

");
        }

        private static string OverlappedFile(int i, Random random)
        {
            // Each method is independently correct or carries one of the incident's bugs.
            bool receiveBug = random.Next(3) == 0;
            bool receiveWrongOverlapped = !receiveBug && random.Next(4) == 0;
            bool sendBug = random.Next(3) == 0;
            bool acceptBug = random.Next(3) == 0;
            bool readBug = random.Next(3) == 0;

            var sb = new StringBuilder(9000);
            sb.Append(InteropUsings);
            sb.Append("namespace Corpus.N").Append(i.ToString("D5", CultureInfo.InvariantCulture)).Append("\n{\n");
            AppendOverlappedType(sb, "Overlapped");
            AppendNative(sb);
            sb.Append(@"    public sealed class AsyncSocket : IDisposable
    {
        private readonly IntPtr m_handle;
        private readonly Overlapped m_inOverlapped;
        private readonly Overlapped m_outOverlapped;

        public AsyncSocket(IntPtr handle)
        {
            m_handle = handle;
            m_inOverlapped = new Overlapped { State = this };
            m_outOverlapped = new Overlapped { State = this };
        }

        public void Receive(IntPtr buffers, int count)
        {
            m_inOverlapped.StartOperation();
            SocketFlags flags = SocketFlags.None;
            SocketError error = Native.WSARecv(m_handle, buffers, count, out int transferred, ref flags, m_inOverlapped.Address, IntPtr.Zero);
            if (error != SocketError.Success)
            {
                error = (SocketError)Marshal.GetLastWin32Error();
                if (error != SocketError.IOPending)
                {
");
            if (receiveWrongOverlapped)
            {
                sb.Append("                    m_outOverlapped.Complete();\n");
            }
            else if (!receiveBug)
            {
                sb.Append("                    m_inOverlapped.Complete();\n");
            }

            sb.Append(@"                    throw new SocketException((int)error);
                }
            }
        }

        public void Send(IntPtr buffers, int count)
        {
            m_outOverlapped.StartOperation();
            SocketError result = Native.WSASend(m_handle, buffers, count, out int transferred, SocketFlags.None, m_outOverlapped.Address, IntPtr.Zero);
            if (result == SocketError.SocketError)
            {
                int error = Marshal.GetLastWin32Error();
                if (error != Native.ERROR_IO_PENDING)
                {
");
            if (!sendBug)
            {
                sb.Append("                    m_outOverlapped.Complete();\n");
            }

            sb.Append(@"                    throw new SocketException(error);
                }
            }
        }

        public void Accept(AsyncSocket listener, IntPtr buffer, int receiveLength)
        {
            Overlapped overlapped = listener.m_inOverlapped;
            overlapped.StartOperation();
            if (!Native.AcceptEx(listener.m_handle, m_handle, buffer, receiveLength, 32, 32, out int received, overlapped.Address))
            {
                var error = (SocketError)Marshal.GetLastWin32Error();
                switch (error)
                {
                    case SocketError.IOPending:
                        return;
                    default:
");
            if (!acceptBug)
            {
                sb.Append("                        overlapped.Complete();\n");
            }

            sb.Append(@"                        throw new SocketException((int)error);
                }
            }
        }

        public static void OnCompletion(IntPtr overlappedAddress, int bytes)
        {
            var overlapped = Overlapped.FromAddress(overlappedAddress);
            overlapped.Complete();
            if (bytes == ").Append(N(random, 3)).Append(@")
            {
                Console.WriteLine(""completed"");
            }
        }

        public void Dispose()
        {
            m_inOverlapped.Dispose();
            m_outOverlapped.Dispose();
        }
    }

    public sealed unsafe class BoundFile : IDisposable
    {
        private readonly SafeHandle m_file;
        private readonly ThreadPoolBoundHandle m_bound;

        public BoundFile(SafeHandle file)
        {
            m_file = file;
            m_bound = ThreadPoolBoundHandle.BindHandle(file);
        }

        public void Read(byte[] buffer)
        {
            NativeOverlapped* overlapped = m_bound.AllocateNativeOverlapped(OnCompleted, null, buffer);
            fixed (byte* p = buffer)
            {
                if (!Native.ReadFile(m_file, p, buffer.Length, IntPtr.Zero, overlapped))
                {
                    int error = Marshal.GetLastWin32Error();
                    if (error != Native.ERROR_IO_PENDING)
                    {
");
            if (!readBug)
            {
                sb.Append("                        m_bound.FreeNativeOverlapped(overlapped);\n");
            }

            sb.Append(@"                        throw new Win32Exception(error);
                    }
                }
            }
        }

        private void OnCompleted(uint errorCode, uint bytes, NativeOverlapped* overlapped)
        {
            m_bound.FreeNativeOverlapped(overlapped);
        }

        public void Dispose()
        {
            m_bound.Dispose();
        }
    }
}
");
            return sb.ToString();
        }
    }
}
