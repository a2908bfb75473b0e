using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using OverlappedAnalyzers.Rules;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>
    /// Every analyzer and code fix that exists when the suite runs, found by reflection: rules added in
    /// parallel (OVL003–OVL006 and their fixes) are fuzzed without touching this project.
    /// </summary>
    internal static class AnalyzerCatalog
    {
        private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> LazyAnalyzers = new Lazy<ImmutableArray<DiagnosticAnalyzer>>(
            () => Discover<DiagnosticAnalyzer, DiagnosticAnalyzerAttribute>(typeof(SyncFailureAnalyzer).Assembly));

        private static readonly Lazy<ImmutableArray<CodeFixProvider>> LazyFixers = new Lazy<ImmutableArray<CodeFixProvider>>(
            () => Discover<CodeFixProvider, ExportCodeFixProviderAttribute>(LoadCodeFixesAssembly()));

        public static ImmutableArray<DiagnosticAnalyzer> Analyzers => LazyAnalyzers.Value;

        public static ImmutableArray<CodeFixProvider> Fixers => LazyFixers.Value;

        /// <summary>One line for test output: what was fuzzed.</summary>
        public static string Describe() =>
            "analyzers: " + string.Join(", ", Analyzers.Select(a => a.GetType().Name)) +
            "; code fixes: " + (Fixers.IsEmpty ? "(none yet)" : string.Join(", ", Fixers.Select(f => f.GetType().Name)));

        private static Assembly LoadCodeFixesAssembly()
        {
            const string Name = "OverlappedAnalyzers.CodeFixes";
            try
            {
                return Assembly.Load(new AssemblyName(Name));
            }
            catch (FileNotFoundException)
            {
                return Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, Name + ".dll"));
            }
        }

        private static ImmutableArray<T> Discover<T, TAttribute>(Assembly assembly)
            where T : class
            where TAttribute : Attribute
        {
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types.Where(t => t != null).ToArray()!;
            }

            return types
                .Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<TAttribute>() != null && t.GetConstructor(Type.EmptyTypes) != null)
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .Select(t => (T)Activator.CreateInstance(t)!)
                .ToImmutableArray();
        }
    }
}
