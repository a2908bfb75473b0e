using Microsoft.CodeAnalysis;
using OverlappedAnalyzers.Flow.Engine;
using OverlappedAnalyzers.Flow.Pending;

namespace OverlappedAnalyzers.Model
{
    /// <summary>How a receiver is named in source and finished in a code fix, per pair kind.</summary>
    internal static class FinishText
    {
        /// <summary>The receiver as the start call spells it: <c>m_inOverlapped</c>, <c>this.m_socket.m_in</c>, <c>p</c>; empty for an implicit <c>this</c>.</summary>
        public static string ReceiverSyntax(StartSite site)
        {
            var operation = site.ReceiverOperation;
            if (operation.IsImplicit && operation.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax)
            {
                return string.Empty;
            }

            return operation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax declarator
                ? declarator.Identifier.ValueText
                : operation.Syntax.ToString();
        }

        /// <summary>The statement that finishes the receiver: <c>m_in.Complete();</c>, <c>handle.FreeNativeOverlapped(p);</c>.</summary>
        public static string FinishStatement(TrackedReceiver receiver)
        {
            var site = receiver.FirstSite;
            var target = ReceiverSyntax(site);
            switch (site.Kind)
            {
                case PairKind.ThreadPoolBoundHandle:
                    var owner = site.OwnerOperation?.Syntax.ToString();
                    return string.IsNullOrEmpty(owner) ? string.Empty : owner + ".FreeNativeOverlapped(" + target + ");";
                case PairKind.OverlappedPack:
                    return "System.Threading.Overlapped.Free(" + target + ");";
                default:
                    var finish = site.Configured?.FinishMethod ?? OperationPairs.Complete;
                    return target.Length == 0 ? finish + "();" : target + "." + finish + "();";
            }
        }

        /// <summary>What the message says is missing: "calling Complete()", "calling FreeNativeOverlapped".</summary>
        public static string FinishDescription(TrackedReceiver receiver) => receiver.Kind switch
        {
            PairKind.ThreadPoolBoundHandle => "calling FreeNativeOverlapped",
            PairKind.OverlappedPack => "calling Overlapped.Free",
            PairKind.Configured => "calling " + receiver.Configured!.FinishMethod + "()",
            _ => "calling Complete()",
        };

        /// <summary>The code-fix title: "Complete 'm_in' before throwing", "Free 'p' before returning".</summary>
        public static string FixTitle(TrackedReceiver receiver, ExitKind kind)
        {
            var verb = receiver.Kind switch
            {
                PairKind.ThreadPoolBoundHandle or PairKind.OverlappedPack => "Free",
                PairKind.Configured => "Call '" + receiver.Configured!.FinishMethod + "' on",
                _ => "Complete",
            };
            var when = kind switch
            {
                ExitKind.Throw => "throwing",
                ExitKind.Return => "returning",
                ExitKind.DoesNotReturnCall => "the call that does not return",
                _ => "leaving the failure branch",
            };
            return verb + " '" + receiver.Key.DisplayName + "' before " + when;
        }

        public static string ExitWord(ExitKind kind) => kind switch
        {
            ExitKind.Throw => "throw",
            ExitKind.Return => "return",
            ExitKind.DoesNotReturnCall => "call",
            _ => "path",
        };
    }
}
