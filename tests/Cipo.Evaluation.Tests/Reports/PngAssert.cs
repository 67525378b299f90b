using SkiaSharp;

namespace Cipo.Evaluation.Tests.Reports;

/// <summary>Checks that a file is a real, non-blank PNG of a given size.</summary>
internal static class PngAssert
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void IsChart(string path, int width, int height)
    {
        File.Exists(path).Should().BeTrue($"{path} should have been written");
        byte[] bytes = File.ReadAllBytes(path);
        bytes.Take(8).Should().Equal(Signature, "a PNG starts with its signature");
        using SKBitmap bitmap = SKBitmap.Decode(bytes);
        bitmap.Should().NotBeNull();
        bitmap.Width.Should().Be(width);
        bitmap.Height.Should().Be(height);
        LuminanceVariance(bitmap).Should().BeGreaterThan(100, "a chart has bars, lines and text, not one flat colour");
        DistinctColours(bitmap).Should().BeGreaterThan(3);
    }

    private static double LuminanceVariance(SKBitmap bitmap)
    {
        double sum = 0, squares = 0;
        long n = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                SKColor c = bitmap.GetPixel(x, y);
                double l = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += l;
                squares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    private static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }
        return colours.Count;
    }
}
