using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Benchmarks
{
    /// <summary>
    /// Where the per-type rules' time goes (issue 15 item 2, the instrument): OVL003/005 (HandleLeakAnalyzer) and OVL004
    /// (DisposeAnalyzer) profiled without their internals, which are being refactored. Two views, on a fresh compilation per
    /// round: (1) each analyzer alone through CompilationWithAnalyzers — analysis wall, driver telemetry, allocation; (2) the
    /// Roslyn work their gates let through — binding and <c>ControlFlowGraph.Create</c> for every member body of the types
    /// each gate admits, and how many of those bodies two or three analyzers graph alike (what one shared graph per member
    /// would save).
    /// </summary>
    internal static class PerTypeProfile
    {
        private const int WarmupRounds = 2;

        /// <summary>HandleLeakAnalyzer's type gate: a declaration that names an allocator (NativeAllocations.GateNames).</summary>
        private static readonly Regex AllocatorName = new Regex(@"\b(?:" + string.Join("|", OverlappedAnalyzers.Model.NativeAllocations.GateNames) + @")\b", RegexOptions.CultureInvariant);

        /// <summary>SyncFailureAnalyzer's body gate: the built-in start names.</summary>
        private static readonly Regex StartName = new Regex(@"\b(?:StartOperation|AllocateNativeOverlapped|UnsafeAllocateNativeOverlapped|Pack|UnsafePack)\b", RegexOptions.CultureInvariant);

        private sealed record GraphWork(int Types, int Bodies, double BindMs, double CfgMs);

        public static async Task<string> RunAsync(IReadOnlyList<Corpus> corpora, AnalyzerSet ours, int rounds)
        {
            var sb = new StringBuilder();
            sb.AppendLine($"#### Per-type rules: each analyzer alone, and the graphs their gates let through ({rounds} rounds after {WarmupRounds} warm-up, medians)");
            sb.AppendLine();
            sb.AppendLine("| corpus | analyzer set | analysis wall ms | telemetry ms | alloc KiB/method (raw) |");
            sb.AppendLine("|---|---|---:|---:|---:|");
            var graphRows = new List<string>();
            foreach (var corpus in corpora)
            {
                var sets = new List<AnalyzerSet> { AnalyzerSets.Driver(), ours };
                sets.AddRange(ours.Analyzers.Select(a => new AnalyzerSet(a.GetType().Name, ImmutableArray.Create(a), ours.DiagnosticOptions, ours.Source)));
                var wall = sets.ToDictionary(s => s.Name, _ => new List<double>());
                var telemetry = sets.ToDictionary(s => s.Name, _ => new List<double>());
                var alloc = sets.ToDictionary(s => s.Name, _ => new List<double>());
                var graphs = new List<Dictionary<string, GraphWork>>();
                for (var round = 0; round < WarmupRounds + rounds; round++)
                {
                    for (var k = 0; k < sets.Count; k++)
                    {
                        var set = sets[(k + round) % sets.Count];
                        var r = await Runner.RunAsync(corpus, new Configuration(set.Name, set), CancellationToken.None).ConfigureAwait(false);
                        if (round >= WarmupRounds)
                        {
                            wall[set.Name].Add(r.AnalysisMs);
                            telemetry[set.Name].Add(r.AnalyzerMs);
                            alloc[set.Name].Add(r.AnalysisAllocatedBytes);
                        }
                    }

                    var work = MeasureGraphs(corpus);
                    if (round >= WarmupRounds)
                    {
                        graphs.Add(work);
                    }
                }

                foreach (var set in sets)
                {
                    sb.AppendLine(FormattableString.Invariant(
                        $"| {corpus.Name} | {set.Name} | {Report.Median(wall[set.Name]):F0} | {Report.Median(telemetry[set.Name]):F1} | {Report.Median(alloc[set.Name]) / 1024 / corpus.Methods:F1} |"));
                }

                foreach (var key in graphs[0].Keys)
                {
                    var first = graphs[0][key];
                    graphRows.Add(FormattableString.Invariant(
                        $"| {corpus.Name} | {key} | {first.Types} | {first.Bodies} | {Report.Median(graphs.Select(g => g[key].BindMs)):F1} | {Report.Median(graphs.Select(g => g[key].CfgMs)):F1} |"));
                }
            }

            sb.AppendLine();
            sb.AppendLine("Roslyn's work behind the gates (in process, fresh compilation per round, declarations built first, untimed; *bind*: `SemanticModel.GetOperation` of each body, the first binding of it; *CFG*: `ControlFlowGraph.Create` of each body). Upper bounds: the analyzers may skip some bodies of an admitted type.");
            sb.AppendLine();
            sb.AppendLine("| corpus | bodies admitted by | types | bodies | bind ms | CFG ms |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var row in graphRows)
            {
                sb.AppendLine(row);
            }

            return sb.ToString();
        }

        /// <summary>
        /// One round: every member body of the compilation, classified by which analyzer's gate admits it, bound and graphed
        /// once; the time of each body is charged to every class it belongs to.
        /// </summary>
        private static Dictionary<string, GraphWork> MeasureGraphs(Corpus corpus)
        {
            var compilation = Runner.NewCompilation(corpus, null);

            // Symbol tables first, untimed: the first body bound would otherwise pay for the whole compilation's declarations.
            compilation.GetDeclarationDiagnostics();
            var classes = new[]
            {
                "OVL003/005: all bodies of types naming an allocator",
                "OVL003/005: those bodies naming an allocator or a holder field",
                "OVL004: all bodies of overlapped types and their owners",
                "OVL001/002/006: bodies naming a start method",
                "graphed by 2+ analyzers (shared-graph saving)",
                "graphed by 3 analyzers",
            };
            var types = new int[classes.Length];
            var bodies = new int[classes.Length];
            var bind = new double[classes.Length];
            var cfg = new double[classes.Length];
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var type in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
                {
                    var symbol = model.GetDeclaredSymbol(type) as INamedTypeSymbol;
                    if (symbol is null)
                    {
                        continue;
                    }

                    var allocating = symbol.DeclaringSyntaxReferences.Any(r => AllocatorName.IsMatch(r.GetSyntax().ToString()));
                    var holders = symbol.GetMembers().OfType<IFieldSymbol>().Where(f => IsHolder(f.Type)).Select(f => f.Name).ToList();
                    var overlappedish = IsOverlappedType(symbol) || symbol.GetMembers().OfType<IFieldSymbol>().Any(f => f.Type is INamedTypeSymbol t && IsOverlappedType(t));
                    var counted = new bool[classes.Length];
                    foreach (var member in type.Members.Where(m => m is not BaseTypeDeclarationSyntax && HasBody(m)))
                    {
                        var text = member.ToString();
                        var inClass = new bool[classes.Length];
                        inClass[0] = allocating;
                        inClass[1] = allocating && (AllocatorName.IsMatch(text) || holders.Any(h => text.Contains(h, StringComparison.Ordinal)));
                        inClass[2] = overlappedish;
                        inClass[3] = StartName.IsMatch(text);
                        var analyzers = (inClass[1] ? 1 : 0) + (inClass[2] ? 1 : 0) + (inClass[3] ? 1 : 0);
                        inClass[4] = analyzers >= 2;
                        inClass[5] = analyzers == 3;
                        if (!inClass.Any(x => x))
                        {
                            continue;
                        }

                        var watch = Stopwatch.StartNew();
                        var operation = model.GetOperation(member);
                        var bindMs = watch.Elapsed.TotalMilliseconds;
                        watch.Restart();
                        _ = operation switch
                        {
                            IMethodBodyOperation body => ControlFlowGraph.Create(body),
                            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor),
                            _ => null,
                        };
                        var cfgMs = watch.Elapsed.TotalMilliseconds;
                        for (var c = 0; c < classes.Length; c++)
                        {
                            if (!inClass[c])
                            {
                                continue;
                            }

                            bodies[c]++;
                            bind[c] += bindMs;
                            cfg[c] += cfgMs;
                            if (!counted[c])
                            {
                                counted[c] = true;
                                types[c]++;
                            }
                        }
                    }
                }
            }

            return classes.Select((name, c) => (name, work: new GraphWork(types[c], bodies[c], bind[c], cfg[c]))).ToDictionary(x => x.name, x => x.work);
        }

        private static bool HasBody(MemberDeclarationSyntax member) => member switch
        {
            BaseMethodDeclarationSyntax m => m.Body != null || m.ExpressionBody != null,
            _ => false,
        };

        /// <summary>OVL004's notion, approximately: named like an overlapped, or declares a parameterless Complete().</summary>
        private static bool IsOverlappedType(INamedTypeSymbol type) =>
            type.Name.Contains("Overlapped", StringComparison.Ordinal)
            || type.GetMembers("Complete").OfType<IMethodSymbol>().Any(m => m.Parameters.IsEmpty);

        /// <summary>OVL003/005's candidate fields: GCHandle, IntPtr/UIntPtr, pointers.</summary>
        private static bool IsHolder(ITypeSymbol type) =>
            type.TypeKind == TypeKind.Pointer
            || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr
            || type.Name is "GCHandle" or "PinnedGCHandle";
    }
}
