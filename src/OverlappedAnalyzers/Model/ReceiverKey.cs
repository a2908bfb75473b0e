using System;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;

namespace OverlappedAnalyzers.Model
{
    /// <summary>
    /// The identity of "the same overlapped": a root (this, a local, a parameter, or a type for static
    /// members) followed by a chain of fields or properties, e.g. <c>this.m_socket.m_inOverlapped</c>.
    /// Aliases are resolved before a key is built, so <c>var ov = m_inOverlapped;</c> makes <c>ov</c> and
    /// <c>m_inOverlapped</c> the same key.
    /// </summary>
    internal sealed class ReceiverKey : IEquatable<ReceiverKey>
    {
        private readonly ImmutableArray<ISymbol> path;
        private readonly bool rootIsThis;

        private ReceiverKey(ImmutableArray<ISymbol> path, bool rootIsThis)
        {
            this.path = path;
            this.rootIsThis = rootIsThis;
        }

        /// <summary>The symbol of the last link: the field, property, local or parameter that holds the object.</summary>
        public ISymbol Symbol => path[path.Length - 1];

        public int Length => path.Length;

        public static ReceiverKey ForThis(INamedTypeSymbol containingType) => new ReceiverKey(ImmutableArray.Create<ISymbol>(containingType), rootIsThis: true);

        public static ReceiverKey ForStaticRoot(INamedTypeSymbol type) => new ReceiverKey(ImmutableArray.Create<ISymbol>(type), rootIsThis: false);

        public static ReceiverKey ForVariable(ISymbol localOrParameter) => new ReceiverKey(ImmutableArray.Create(localOrParameter), rootIsThis: false);

        /// <summary><c>ForThis(containingType).Append(member)</c> in one path array: the most common key, <c>this.m_inOverlapped</c>.</summary>
        public static ReceiverKey ForThisMember(INamedTypeSymbol containingType, ISymbol member) => new ReceiverKey(ImmutableArray.Create<ISymbol>(containingType, member), rootIsThis: true);

        /// <summary><c>ForStaticRoot(type).Append(member)</c> in one path array.</summary>
        public static ReceiverKey ForStaticMember(INamedTypeSymbol type, ISymbol member) => new ReceiverKey(ImmutableArray.Create<ISymbol>(type, member), rootIsThis: false);

        /// <summary>
        /// A field or property of <c>this</c> (or a static one of a type): the receivers a helper of the same type can
        /// reach by name without being handed them, e.g. <c>AbortReceive()</c> calling <c>m_in.Complete()</c>.
        /// </summary>
        public bool IsDirectMember => path.Length == 2 && (rootIsThis || path[0] is INamedTypeSymbol);

        /// <summary>
        /// A local or parameter object (<c>request</c>) that holds other receivers (<c>request.Native</c>): when it
        /// escapes (back to its pool, stored, returned) what it holds goes with it (RULES.md, "Owner hand-off").
        /// </summary>
        public bool IsOwnerObjectOf(ReceiverKey held) =>
            !rootIsThis && path[0] is ILocalSymbol or IParameterSymbol && held.path.Length > path.Length && held.StartsWith(this);

        public ReceiverKey Append(ISymbol member) => new ReceiverKey(path.Add(member), rootIsThis);

        /// <summary>The name users see: the chain without <c>this</c>, e.g. <c>m_socket.m_inOverlapped</c>.</summary>
        public string DisplayName
        {
            get
            {
                var builder = new StringBuilder();
                for (var i = 0; i < path.Length; i++)
                {
                    if (i == 0 && rootIsThis)
                    {
                        if (path.Length == 1)
                        {
                            return "this";
                        }

                        continue;
                    }

                    if (builder.Length > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append(path[i].Name);
                }

                return builder.ToString();
            }
        }

        /// <summary>True when this key is <paramref name="prefix"/> or reached through it (<c>a.b.c</c> starts with <c>a.b</c>).</summary>
        public bool StartsWith(ReceiverKey prefix)
        {
            if (prefix.rootIsThis != rootIsThis || prefix.path.Length > path.Length)
            {
                return false;
            }

            for (var i = 0; i < prefix.path.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(path[i], prefix.path[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public bool Equals(ReceiverKey? other)
        {
            if (other is null || other.rootIsThis != rootIsThis || other.path.Length != path.Length)
            {
                return false;
            }

            for (var i = 0; i < path.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(path[i], other.path[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as ReceiverKey);

        public override int GetHashCode()
        {
            var hash = rootIsThis ? 17 : 23;
            foreach (var symbol in path)
            {
                hash = unchecked((hash * 31) + SymbolEqualityComparer.Default.GetHashCode(symbol));
            }

            return hash;
        }

        public override string ToString() => DisplayName;
    }
}
