using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace OverlappedAnalyzers.Package.Tests.Infrastructure
{
    /// <summary>
    /// Which rules and fixes the assemblies going into the package implement today. The package ships
    /// before every rule does; end-to-end tests of a rule that isn't there yet are skipped, and say so.
    /// </summary>
    internal static class Capabilities
    {
        private static readonly Lazy<ImmutableHashSet<string>> Reported = new Lazy<ImmutableHashSet<string>>(
            () => Instances<DiagnosticAnalyzer>(typeof(Descriptors).Assembly)
                .Where(a => a.GetType().GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(x => x.Languages.Contains(LanguageNames.CSharp)))
                .SelectMany(a => a.SupportedDiagnostics.Select(d => d.Id))
                .ToImmutableHashSet());

        private static readonly Lazy<ImmutableHashSet<string>> Fixable = new Lazy<ImmutableHashSet<string>>(
            () => Instances<CodeFixProvider>(Assembly.Load("OverlappedAnalyzers.CodeFixes"))
                .Where(p => p.GetType().GetCustomAttributes<ExportCodeFixProviderAttribute>().Any())
                .SelectMany(p => p.FixableDiagnosticIds)
                .ToImmutableHashSet());

        /// <summary>Requirements such as "OVL001" (an analyzer reports it) or "fix:OVL001" (a code fix fixes it).</summary>
        public static IReadOnlyList<string> Missing(IEnumerable<string> requirements) => requirements
            .Where(r => r.StartsWith("fix:", StringComparison.Ordinal)
                ? !Fixable.Value.Contains(r.Substring(4))
                : !Reported.Value.Contains(r))
            .ToList();

        private static IEnumerable<T> Instances<T>(Assembly assembly)
            where T : class
        {
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types;
            }

            return types
                .Where(t => t is not null && !t.IsAbstract && typeof(T).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
                .Select(t => (T)Activator.CreateInstance(t!)!);
        }
    }

    /// <summary>A fact that runs only when the package's assemblies implement everything it needs.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RequiresFactAttribute : FactAttribute
    {
        public RequiresFactAttribute(params string[] requirements)
        {
            var missing = Capabilities.Missing(requirements);

            // OVERLAPPED_ANALYZERS_E2E_FORCE=1 runs them anyway, to debug the harness before a rule lands.
            if (missing.Count > 0 && Environment.GetEnvironmentVariable("OVERLAPPED_ANALYZERS_E2E_FORCE") != "1")
            {
                Skip = "Not implemented yet in src/: " + string.Join(", ", missing) + " (this test runs once it is).";
            }
        }
    }
}
