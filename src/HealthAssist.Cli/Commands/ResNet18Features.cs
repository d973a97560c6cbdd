using System.Diagnostics;
using HealthAssist.Encode.Export;
using Microsoft.ML.OnnxRuntime;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// The pretrained alternative to our image encoder (issue 7 asks for the comparison): the ImageNet ResNet18 featurizer
/// shipped in <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, run on the exact image tensors of an export. Our tensor
/// is (v − 0.5) / 0.25 with v the windowed grey level in [0, 1]; the featurizer wants 0–255 BGR minus its mean image
/// (about 114 per pixel, from the package's ResNetPreprocess.onnx), so v·255 − 114.5 in three equal channels.
/// </summary>
internal static class ResNet18Features
{
    private const float MeanImage = 114.5f;

    public static (int Cases, int Images, double Seconds) Write(string folder, string model, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model, options);
        var input = session.InputMetadata.Keys.Single();
        var output = session.OutputMetadata.Keys.Single();
        using var images = new NpyReader(Path.Combine(folder, "image.npy"));
        using var present = new NpyReader(Path.Combine(folder, "present.npy"));
        if (images.RowLength != 224 * 224)
        {
            throw new UsageException("the export's images are not 1×224×224, the featurizer's input size");
        }

        using var writer = new NpyWriter(Path.Combine(folder, "image_resnet18.npy"), 512);
        var count = 0;
        var pixels = new float[3 * 224 * 224];
        for (var row = 0; row < images.Rows; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tensor = images.ReadRow();
            if (present.ReadRow()[1] == 0)
            {
                writer.Append(default);
                continue;
            }

            for (var i = 0; i < tensor.Length; i++)
            {
                var value = (((tensor[i] * 0.25f) + 0.5f) * 255f) - MeanImage;
                pixels[i] = pixels[tensor.Length + i] = pixels[(2 * tensor.Length) + i] = value;
            }

            using var value0 = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, 224, 224]);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [input], [value0], [output]);
            writer.Append(results[0].GetTensorDataAsSpan<float>());
            count++;
        }

        return (images.Rows, count, watch.Elapsed.TotalSeconds);
    }
}
