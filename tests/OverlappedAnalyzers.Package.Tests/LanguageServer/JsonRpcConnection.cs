using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace OverlappedAnalyzers.Package.Tests.LanguageServer
{
    /// <summary>
    /// JSON-RPC 2.0 over a pair of streams with LSP's base protocol: each message is a <c>Content-Length</c>
    /// header, a blank line and that many bytes of UTF-8 JSON. Requests the client sends wait for their
    /// response by id; requests the server sends are answered by <see cref="ServerRequestHandler"/>; the
    /// server's notifications are kept, in order, for the test to wait on.
    /// </summary>
    internal sealed class JsonRpcConnection
    {
        private readonly Stream input;
        private readonly Stream output;
        private readonly Func<string, JsonElement?, JsonNode?> serverRequestHandler;
        private readonly SemaphoreSlim writeLock = new SemaphoreSlim(1, 1);
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new ConcurrentDictionary<int, TaskCompletionSource<JsonElement>>();
        private readonly List<JsonElement> notifications = new List<JsonElement>();
        private readonly SemaphoreSlim notified = new SemaphoreSlim(0);
        private int nextId;
        private Exception? closed;

        /// <param name="input">The server's output (its stdout).</param>
        /// <param name="output">The server's input (its stdin).</param>
        /// <param name="serverRequestHandler">Answers a server→client request: method and params in, result out.</param>
        public JsonRpcConnection(Stream input, Stream output, Func<string, JsonElement?, JsonNode?> serverRequestHandler)
        {
            this.input = input;
            this.output = output;
            this.serverRequestHandler = serverRequestHandler;
            _ = Task.Run(ReadLoopAsync);
        }

        /// <summary>Sends a request and waits for its result; a JSON-RPC error becomes an exception.</summary>
        public async Task<JsonElement> RequestAsync(string method, JsonNode? parameters, CancellationToken cancellationToken)
        {
            var id = Interlocked.Increment(ref nextId);
            var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[id] = response;
            if (closed != null)
            {
                throw new IOException("The server closed the connection.", closed);
            }

            await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }).ConfigureAwait(false);
            using (cancellationToken.Register(() => response.TrySetCanceled(cancellationToken)))
            {
                return await response.Task.ConfigureAwait(false);
            }
        }

        public Task NotifyAsync(string method, JsonNode? parameters) =>
            WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

        /// <summary>The server's notifications so far (whole messages: method and params).</summary>
        public IReadOnlyList<JsonElement> Notifications
        {
            get
            {
                lock (notifications)
                {
                    return notifications.ToArray();
                }
            }
        }

        /// <summary>Waits until some notification arrives (or the token fires); returns false if the connection closed.</summary>
        public async Task<bool> WaitForNotificationAsync(CancellationToken cancellationToken)
        {
            await notified.WaitAsync(cancellationToken).ConfigureAwait(false);
            return closed is null;
        }

        private async Task WriteAsync(JsonNode message)
        {
            var body = Encoding.UTF8.GetBytes(message.ToJsonString());
            var header = Encoding.ASCII.GetBytes("Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n");
            await writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await output.WriteAsync(header).ConfigureAwait(false);
                await output.WriteAsync(body).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        private async Task ReadLoopAsync()
        {
            try
            {
                while (await ReadMessageAsync().ConfigureAwait(false) is { } message)
                {
                    await DispatchAsync(message).ConfigureAwait(false);
                }

                closed = new EndOfStreamException("The server closed its output.");
            }
            catch (Exception e)
            {
                closed = e;
            }

            foreach (var request in pending.Values)
            {
                request.TrySetException(new IOException("The server closed the connection.", closed));
            }

            notified.Release();
        }

        private async Task DispatchAsync(JsonElement message)
        {
            var hasId = message.TryGetProperty("id", out var id);
            var hasMethod = message.TryGetProperty("method", out var method);
            if (hasId && !hasMethod)
            {
                if (id.ValueKind == JsonValueKind.Number && pending.TryRemove(id.GetInt32(), out var request))
                {
                    if (message.TryGetProperty("error", out var error))
                    {
                        request.TrySetException(new InvalidOperationException("JSON-RPC error: " + error.GetRawText()));
                    }
                    else
                    {
                        request.TrySetResult(message.TryGetProperty("result", out var result) ? result.Clone() : default);
                    }
                }

                return;
            }

            if (!hasMethod)
            {
                return;
            }

            JsonElement? parameters = message.TryGetProperty("params", out var p) ? p.Clone() : null;
            if (hasId)
            {
                // Answered from the read loop, in order: the server may wait on the answer before it goes on.
                var result = serverRequestHandler(method.GetString()!, parameters);
                await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()), ["result"] = result }).ConfigureAwait(false);
                return;
            }

            lock (notifications)
            {
                notifications.Add(message.Clone());
            }

            notified.Release();
        }

        /// <summary>One message, or null at the end of the stream.</summary>
        private async Task<JsonElement?> ReadMessageAsync()
        {
            var length = -1;
            while (true)
            {
                var line = await ReadHeaderLineAsync().ConfigureAwait(false);
                if (line is null)
                {
                    return null;
                }

                if (line.Length == 0)
                {
                    break;
                }

                const string ContentLength = "Content-Length:";
                if (line.StartsWith(ContentLength, StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line.Substring(ContentLength.Length).Trim(), CultureInfo.InvariantCulture);
                }
            }

            if (length < 0)
            {
                throw new InvalidDataException("A message without Content-Length.");
            }

            var body = new byte[length];
            await input.ReadExactlyAsync(body).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }

        /// <summary>A header line without its CR LF; null at the end of the stream.</summary>
        private async Task<string?> ReadHeaderLineAsync()
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await input.ReadAsync(one).ConfigureAwait(false) == 0)
                {
                    return null;
                }

                if (one[0] == (byte)'\n')
                {
                    if (bytes.Count > 0 && bytes[^1] == (byte)'\r')
                    {
                        bytes.RemoveAt(bytes.Count - 1);
                    }

                    return Encoding.ASCII.GetString(bytes.ToArray());
                }

                bytes.Add(one[0]);
            }
        }
    }
}
