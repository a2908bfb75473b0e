using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace OverlappedAnalyzers.Flow.Release
{
    /// <summary>
    /// Calls after which the operation is over: <c>GetOverlappedResult(…, wait: true)</c>,
    /// <c>WSAGetOverlappedResult(…, true, …)</c>, and waits on an event (<c>WaitOne</c>, <c>WaitForSingleObject</c>, ...).
    /// Which event a wait is on is not checked: a wait of any kind keeps the analysis silent (precision first).
    /// </summary>
    internal static class CompletionWaits
    {
        public static bool IsCompletionWait(IInvocationOperation call)
        {
            var name = call.TargetMethod.Name;
            switch (name)
            {
                case "WaitOne":
                case "WaitAll":
                case "WaitAny":
                case "WaitForSingleObject":
                case "WaitForSingleObjectEx":
                case "WaitForMultipleObjects":
                case "WaitForMultipleObjectsEx":
                case "SignalAndWait":
                    return true;
            }

            if (!name.EndsWith("GetOverlappedResult", StringComparison.Ordinal) && !name.EndsWith("GetOverlappedResultEx", StringComparison.Ordinal))
            {
                return false;
            }

            foreach (var argument in call.Arguments)
            {
                var value = argument.Value;
                while (value is IConversionOperation conversion)
                {
                    value = conversion.Operand;
                }

                var waits = value.ConstantValue is { HasValue: true, Value: true }
                    || (argument.Parameter?.Name.IndexOf("wait", StringComparison.OrdinalIgnoreCase) >= 0
                        && value.ConstantValue is { HasValue: true, Value: int and not 0 or uint and not 0u });
                if (waits)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
