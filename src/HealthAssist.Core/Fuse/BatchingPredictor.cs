using System.Threading.Channels;
using HealthAssist.Encode.Inputs;

namespace HealthAssist.Fuse;

/// <summary>When a batch is cut: after <see cref="MaxDelay"/> from its first case, or at <see cref="MaxBatch"/> cases.</summary>
public sealed record BatchingOptions
{
    public int MaxBatch { get; init; } = 16;

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    public void Validate()
    {
        if (MaxBatch < 1 || MaxDelay < TimeSpan.Zero || MaxDelay > TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException("Batching: MaxBatch must be at least 1 and MaxDelay between 0 and 1 s");
        }
    }
}

/// <summary>
/// Batches concurrent single-case requests: the first waiting case opens a batch, which closes after a few
/// milliseconds or at N cases, and runs as one encode+fuse call. Under load this turns many small ONNX Runtime runs
/// into few larger ones; alone, a request waits at most <see cref="BatchingOptions.MaxDelay"/>. Batch studies call
/// <see cref="MultimodalModel.Predict"/> with their own batches instead.
/// </summary>
public sealed class BatchingPredictor : IAsyncDisposable
{
    private readonly MultimodalModel _model;
    private readonly BatchingOptions _options;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _batches;
    private long _cases;

    public BatchingPredictor(MultimodalModel model, BatchingOptions? options = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new BatchingOptions();
        _options.Validate();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Batches run so far and the cases in them (their ratio is the mean batch size).</summary>
    public (long Batches, long Cases) Counts => (Interlocked.Read(ref _batches), Interlocked.Read(ref _cases));

    public Task<FusionPrediction?> PredictAsync(ModelInputs inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var pending = new Pending(inputs, new TaskCompletionSource<FusionPrediction?>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!reader.TryRead(out var first))
            {
                continue;
            }

            batch.Add(first);
            using (var window = new CancellationTokenSource(_options.MaxDelay))
            {
                try
                {
                    while (batch.Count < _options.MaxBatch)
                    {
                        if (reader.TryRead(out var next))
                        {
                            batch.Add(next);
                        }
                        else if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // the window closed: run what we have
                }
            }

            Run(batch);
            batch.Clear();
        }
    }

    private void Run(List<Pending> batch)
    {
        try
        {
            var results = _model.Predict([.. batch.Select(p => p.Inputs)]);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _cases, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            // One failure fails the whole batch; each caller sees it (the pipeline turns it into a 503, fail closed).
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(ex);
            }
        }
    }

    private sealed record Pending(ModelInputs Inputs, TaskCompletionSource<FusionPrediction?> Result);
}
