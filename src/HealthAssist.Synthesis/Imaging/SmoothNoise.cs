using System.Runtime.CompilerServices;

namespace HealthAssist.Synthesis.Imaging;

/// <summary>
/// Value noise: a coarse lattice of random values interpolated with smoothstep weights. The weights are computed once per
/// row and once per column, so a field costs two multiply-adds per pixel and no transcendental function.
/// </summary>
internal static class SmoothNoise
{
    /// <summary>
    /// A <paramref name="width"/> × <paramref name="height"/> field (row-major) of zero-mean noise with standard deviation
    /// about 1, varying over <paramref name="cellSize"/> pixels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Create(RadiographRandom random, int width, int height, double cellSize)
    {
        var gridWidth = (int)Math.Ceiling(width / cellSize) + 2;
        var gridHeight = (int)Math.Ceiling(height / cellSize) + 2;
        var grid = new float[gridWidth * gridHeight];
        for (var i = 0; i < grid.Length; i++)
        {
            grid[i] = (float)random.NextGaussian();
        }

        // Smoothstep interpolation of unit-variance lattice values keeps, on average, a variance of 0.743 per axis
        // (2 × ∫ smoothstep(f)² df); over two axes 0.552, so the standard deviation is 0.743: rescale to about 1.
        const float Gain = 1.35f;
        var (columnIndex, columnWeight) = Weights(width, cellSize, random.NextDouble());
        var (rowIndex, rowWeight) = Weights(height, cellSize, random.NextDouble());
        var field = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var top = rowIndex[y] * gridWidth;
            var bottom = top + gridWidth;
            var wy = rowWeight[y];
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                var i = columnIndex[x];
                var wx = columnWeight[x];
                var upper = grid[top + i] + (wx * (grid[top + i + 1] - grid[top + i]));
                var lower = grid[bottom + i] + (wx * (grid[bottom + i + 1] - grid[bottom + i]));
                field[row + x] = Gain * (upper + (wy * (lower - upper)));
            }
        }

        return field;
    }

    private static (int[] Index, float[] Weight) Weights(int length, double cellSize, double phase)
    {
        var index = new int[length];
        var weight = new float[length];
        for (var p = 0; p < length; p++)
        {
            var g = (p / cellSize) + phase;
            var i = (int)g;
            var f = g - i;
            index[p] = i;
            weight[p] = (float)(f * f * (3 - (2 * f)));
        }

        return (index, weight);
    }
}
