using System.Text;

namespace OverlappedAnalyzers.Robustness.Tests.Infrastructure
{
    /// <summary>Generated inputs: large or deep shapes no hand-written corpus reaches.</summary>
    internal static class Generated
    {
        public const string Usings = "using System;\nusing System.Net.Sockets;\nusing Io;\n\n";

        /// <summary>A class with a seed-like overlapped field and a native handle, wrapped around <paramref name="members"/>.</summary>
        public static string SocketClass(string name, string members) =>
            Usings + $"namespace Generated\n{{\n    public sealed class {name}\n    {{\n        private readonly Overlapped m_ov = new Overlapped();\n        private IntPtr m_handle;\n\n{members}\n    }}\n}}\n";

        /// <summary>The seed's failure check after a start: throws on a synchronous failure (OVL001 unless finished).</summary>
        public static string FailureCheck(string receiver, string indent, bool complete = false, string suffix = "") =>
            $"{indent}var error{suffix} = Native.WSARecv(m_handle, IntPtr.Zero, {receiver}.Address);\n" +
            $"{indent}if (error{suffix} != SocketError.IOPending)\n{indent}{{\n" +
            (complete ? $"{indent}    {receiver}.Complete();\n" : string.Empty) +
            $"{indent}    throw new SocketException((int)error{suffix});\n{indent}}}\n";

        /// <summary>Helpers that hand the overlapped to each other in a cycle, called on the failure path.</summary>
        public static string MutuallyRecursiveHelpers(int count)
        {
            var members = new StringBuilder();
            members.AppendLine("        public void Receive()\n        {");
            members.AppendLine("            m_ov.StartOperation(OperationType.Receive);");
            members.AppendLine("            var error = Native.WSARecv(m_handle, IntPtr.Zero, m_ov.Address);");
            members.AppendLine("            if (error != SocketError.IOPending)\n            {\n                Helper0(m_ov, 0);\n                throw new SocketException((int)error);\n            }\n        }\n");
            for (var i = 0; i < count; i++)
            {
                var next = (i + 1) % count;
                members.AppendLine($"        private void Helper{i}(Overlapped ov, int depth)\n        {{");
                members.AppendLine("            if (depth > 3) { return; }");
                members.AppendLine($"            ov.StartOperation(OperationType.Send);");
                members.AppendLine($"            Helper{next}(ov, depth + 1);");
                members.AppendLine("        }\n");
            }

            return SocketClass("Recursive", members.ToString());
        }

        /// <summary><c>var a1 = m_ov; var a2 = a1; ... aN.StartOperation(...)</c>, then the seed's throw.</summary>
        public static string AliasChain(int length)
        {
            var body = new StringBuilder();
            body.AppendLine("            var a1 = m_ov;");
            for (var i = 2; i <= length; i++)
            {
                body.AppendLine($"            var a{i} = a{i - 1};");
            }

            body.AppendLine($"            a{length}.StartOperation(OperationType.Receive);");
            body.Append(FailureCheck($"a{length}", "            "));
            return SocketClass("Aliases", $"        public void Receive()\n        {{\n{body}        }}");
        }

        /// <summary>A start, then <paramref name="depth"/> nested ifs with the failure check innermost.</summary>
        public static string NestedIfs(int depth)
        {
            var body = new StringBuilder();
            body.AppendLine("            m_ov.StartOperation(OperationType.Receive);");
            for (var i = 0; i < depth; i++)
            {
                body.Append(' ', 12).AppendLine($"if (flags > {i}) {{");
            }

            body.Append(FailureCheck("m_ov", "            "));
            body.Append(' ', 12).AppendLine(new string('}', depth));
            return SocketClass("NestedIfs", $"        public void Receive(int flags)\n        {{\n{body}        }}");
        }

        /// <summary>One method, <paramref name="count"/> start sites on <paramref name="receivers"/> distinct overlapped locals.</summary>
        public static string ManyStartSites(int count, int receivers)
        {
            var body = new StringBuilder();
            for (var r = 0; r < receivers; r++)
            {
                body.AppendLine($"            var o{r} = new Overlapped();");
            }

            for (var i = 0; i < count; i++)
            {
                var receiver = $"o{i % receivers}";
                body.AppendLine($"            {receiver}.StartOperation(OperationType.Receive);");
                body.Append(FailureCheck(receiver, "            ", complete: i % 3 != 0, suffix: i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            return SocketClass("ManyStarts", $"        public void Receive()\n        {{\n{body}        }}");
        }

        /// <summary>A start, a <paramref name="terms"/>-term expression (arithmetic or a short-circuit chain), the failure check.</summary>
        public static string LongExpression(int terms, string op)
        {
            var expression = new StringBuilder("x0");
            for (var i = 1; i < terms; i++)
            {
                expression.Append(' ').Append(op).Append(op == "&&" || op == "||" ? " x0 > " + i : " x0");
            }

            var declaration = op is "&&" or "||" ? $"            bool big = x0 > 0 {op} {expression};\n" : $"            int big = {expression};\n";
            var body = "            var x0 = flags;\n            m_ov.StartOperation(OperationType.Receive);\n" + declaration +
                "            if (big" + (op is "&&" or "||" ? string.Empty : " > 0") + ")\n            {\n" + FailureCheck("m_ov", "                ") + "            }\n";
            return SocketClass("LongExpression", $"        public void Receive(int flags)\n        {{\n{body}        }}");
        }

        /// <summary>A method of <paramref name="statements"/> statements; with overlapped use, the start is first and the throw last.</summary>
        public static string LongMethod(int statements, bool withOverlapped)
        {
            var body = new StringBuilder("            var total = 0;\n");
            if (withOverlapped)
            {
                body.AppendLine("            m_ov.StartOperation(OperationType.Receive);");
            }

            for (var i = 0; i < statements; i++)
            {
                body.AppendLine(i % 2 == 0 ? $"            total += {i};" : "            total ^= total >> 1;");
            }

            if (withOverlapped)
            {
                body.Append(FailureCheck("m_ov", "            "));
            }

            body.AppendLine("            Console.WriteLine(total);");
            return withOverlapped
                ? SocketClass("LongMethod", $"        public void Receive()\n        {{\n{body}        }}")
                : $"using System;\n\nnamespace Generated\n{{\n    public static class LongMethodPlain\n    {{\n        public static void Run()\n        {{\n{body}        }}\n    }}\n}}\n";
        }

        /// <summary><paramref name="depth"/> nested try/catch/finally around the seed's failure check.</summary>
        public static string NestedTry(int depth, bool withOverlapped)
        {
            var body = new StringBuilder();
            if (withOverlapped)
            {
                body.AppendLine("            m_ov.StartOperation(OperationType.Receive);");
            }

            for (var i = 0; i < depth; i++)
            {
                body.AppendLine("            try\n            {");
            }

            body.Append(withOverlapped ? FailureCheck("m_ov", "            ") : "            Console.WriteLine(0);\n");
            for (var i = 0; i < depth; i++)
            {
                body.AppendLine("            }");
                body.AppendLine((i % 3) switch
                {
                    0 => $"            catch (InvalidOperationException e{i}) when (e{i}.HResult != {i})\n            {{\n                throw;\n            }}",
                    1 => $"            finally\n            {{\n                Console.WriteLine({i});\n            }}",
                    _ => $"            catch (ArgumentException)\n            {{\n                Console.WriteLine({i});\n            }}\n            finally\n            {{\n                Console.WriteLine(-{i});\n            }}",
                });
            }

            return withOverlapped
                ? SocketClass("NestedTry", $"        public void Receive()\n        {{\n{body}        }}")
                : $"using System;\n\nnamespace Generated\n{{\n    public static class NestedTryPlain\n    {{\n        public static void Run()\n        {{\n{body}        }}\n    }}\n}}\n";
        }
    }
}
