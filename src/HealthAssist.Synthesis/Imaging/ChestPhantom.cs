using System.Runtime.CompilerServices;

namespace HealthAssist.Synthesis.Imaging;

/// <summary>
/// A PA chest radiograph phantom drawn in attenuation space: 0 is unattenuated beam (black on MONOCHROME2), about 1 is
/// the densest bone. Geometry is in anatomy units: the shorter image side has length 1 and (0.5, 0.5) is the image
/// centre; u grows to the image right (the patient's left, as a PA film is viewed), v grows towards the feet.
/// </summary>
/// <remarks>
/// Shapes are described per row (thorax, mediastinum and heart widths) and per column (diaphragm, apices, ribs, spine,
/// fluid line), so the per-pixel work is a handful of clamped ramps and table look-ups. Everything is sampled from the
/// findings and one generator, so the same seed gives the same phantom. Typical values: background 0.03, lung 0.2–0.3,
/// soft tissue and heart 0.6–0.7, spine and ribs up to about 0.85.
/// </remarks>
internal sealed class ChestPhantom
{
    private const float Background = 0.03f;
    private const float LungSoft = 0.008f;
    private const float RibWidthFraction = 0.45f;
    private const int RibCount = 10;

    private static readonly float[] ThicknessTable = BuildThicknessTable();
    private static readonly float[] RibTable = BuildRibTable();

    private readonly RadiographFindings _findings;
    private readonly bool _female;
    private readonly bool _lowContrast;

    // Patient and positioning.
    private readonly double _centerX;
    private readonly double _thoraxHalfWidth;
    private readonly double _fat;
    private readonly double _soft;
    private readonly double _air;
    private readonly double _domeRight;
    private readonly double _domeLeft;
    private readonly double _domeDepth;
    private readonly double _apex;
    private readonly double _apexOffset;
    private readonly double _heartTop;
    private readonly double _heartRightFraction;
    private readonly double _aorticKnob;
    private readonly double _ribStart;
    private readonly double _ribSpacing;
    private readonly double _ribCurve;
    private readonly double _ribAmplitude;
    private readonly double _spineAmplitude;
    private readonly double _markings;
    private readonly double _heel;
    private readonly bool _gastricBubble;

    // Findings, resolved to geometry.
    private readonly double _fluidBaseRight;
    private readonly double _fluidBaseLeft;
    private readonly double _fluidRiseRight;
    private readonly double _fluidRiseLeft;
    private readonly double _consolidationU;
    private readonly double _consolidationV;
    private readonly double _consolidationRadiusX;
    private readonly double _consolidationRadiusY;
    private readonly double _consolidationDensity;

    public ChestPhantom(RadiographFindings findings, bool female, bool lowContrast, RadiographRandom random)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(random);
        _findings = findings;
        _female = female;
        _lowContrast = lowContrast;
        var hyper = Clamp01(findings.Hyperinflation);
        var cardio = Clamp01(findings.Cardiomegaly);

        _centerX = random.Gaussian(0.5, 0.012);
        _thoraxHalfWidth = random.Gaussian(0.355, 0.015) + (0.02 * hyper);
        _fat = random.Uniform(0.03, 0.09);
        _soft = random.Gaussian(0.60, 0.035);
        _air = random.Gaussian(0.36, 0.03) * (1 + (0.12 * hyper));
        _domeRight = random.Gaussian(0.635, 0.02) + (0.07 * hyper);
        _domeLeft = _domeRight + random.Uniform(0.01, 0.035);
        _domeDepth = random.Uniform(0.065, 0.09) * (1 - (0.65 * hyper));
        _apex = random.Gaussian(0.125, 0.01) - (0.015 * hyper);
        _apexOffset = random.Uniform(0.12, 0.14);
        _heartTop = random.Gaussian(0.40, 0.012);
        _heartRightFraction = random.Uniform(0.33, 0.40);
        _aorticKnob = random.Uniform(0.012, 0.03);
        _ribStart = _apex - 0.025 + random.Gaussian(0, 0.006);
        _ribSpacing = random.Uniform(0.052, 0.058) * (1 + (0.12 * hyper));
        _ribCurve = random.Uniform(0.16, 0.22) * (1 - (0.35 * hyper));
        _ribAmplitude = random.Uniform(0.035, 0.055);
        _spineAmplitude = random.Uniform(0.05, 0.08);
        _markings = random.Uniform(0.16, 0.24);
        _heel = random.Gaussian(0, 0.02);
        _gastricBubble = random.Chance(0.6);

        // Cardiothoracic ratio: heart width over the internal thorax width at its widest (the lungs' outer edges).
        CardiothoracicRatio = Math.Clamp(random.Gaussian(0.43 + (0.20 * cardio), 0.025) - (0.05 * hyper), 0.30, 0.72);

        // Effusion: fluid fills the costophrenic angle first and climbs the lateral wall (meniscus).
        var effusion = Clamp01(findings.EffusionSeverity);
        (_fluidBaseRight, _fluidRiseRight) = Fluid(findings.Effusion.HasFlag(EffusionSide.Right), _domeRight + _domeDepth, effusion, random);
        (_fluidBaseLeft, _fluidRiseLeft) = Fluid(findings.Effusion.HasFlag(EffusionSide.Left), _domeLeft + _domeDepth, effusion, random);

        var severity = Clamp01(findings.ConsolidationSeverity);
        var (side, distance, level) = findings.Consolidation switch
        {
            LungZone.RightUpper => (-1, 0.15, _apex + 0.12),
            LungZone.RightMiddle => (-1, 0.13, _heartTop + 0.10),
            LungZone.RightLower => (-1, 0.19, _domeRight - 0.07),
            LungZone.LeftUpper => (1, 0.16, _apex + 0.15),
            LungZone.LeftLower => (1, 0.21, _domeLeft - 0.07),
            _ => (0, 0.0, 0.0),
        };
        var radius = 0.045 + (0.065 * severity);
        _consolidationU = _centerX + (side * (distance + random.Gaussian(0, 0.015)));
        _consolidationV = level + random.Gaussian(0, 0.015);
        _consolidationRadiusX = radius * random.Uniform(0.8, 1.2);
        _consolidationRadiusY = radius * random.Uniform(0.7, 1.0);
        _consolidationDensity = side == 0 || severity <= 0 ? 0 : 0.25 + (0.65 * severity);
    }

    /// <summary>The heart width over the internal thorax width that was drawn.</summary>
    public double CardiothoracicRatio { get; }

    /// <summary>Renders the phantom at <paramref name="width"/> × <paramref name="height"/> (row-major attenuation).</summary>
    public float[] Render(int width, int height, RadiographRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var scale = Math.Min(width, height);
        var noiseScale = _lowContrast ? 1.6f : 1f;
        var coarse = SmoothNoise.Create(random.Fork(1), width, height, scale / 3.0);
        var medium = SmoothNoise.Create(random.Fork(2), width, height, scale * 0.035);
        var fine = SmoothNoise.Create(random.Fork(3), width, height, Math.Max(2.0, scale * 0.014));

        var image = new float[width * height];
        var airMap = new float[width * height];
        var columns = new Columns(this, width, scale);
        var rows = new Rows(this, height, scale);
        DrawAnatomy(image, airMap, columns, rows, width, height, coarse, medium, fine, noiseScale);
        DrawBoxes(image, airMap, width, height, scale, medium);
        return image;
    }

    // Fully optimised from the first call: the per-pixel loops are the generator's cost (see RadiographSynthesizer).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DrawAnatomy(float[] image, float[] airMap, Columns c, Rows r, int width, int height, float[] coarse, float[] medium, float[] fine, float noiseScale)
    {
        const float InvSoft = 1f / LungSoft;
        const float InvHeartSoft = 1f / 0.006f;
        const float InvClavicle = 1f / 0.014f;
        const float InvMeniscus = 1f / 0.04f;
        var soft = (float)_soft;
        var air = (float)_air;
        var markings = (float)_markings;
        var invRibSpacing = (float)(1 / _ribSpacing);
        var ribAmplitude = (float)_ribAmplitude;
        var haze = (float)(0.65 * Clamp01(_findings.BilateralHaze));
        var coarseAmplitude = 0.018f * noiseScale;

        var (distance, isRight, diaphragms, apices, fluidLines) = (c.D, c.Right, c.Diaphragm, c.Apex, c.FluidLine);
        var (ribsPosterior, ribsAnterior, anteriorWeights, spines, tracheas) = (c.RibPosterior, c.RibAnterior, c.AnteriorWeight, c.Spine, c.Trachea);
        var (claviclesV, clavicleWeights, abdomens, heels) = (c.ClavicleV, c.ClavicleWeight, c.Abdomen, c.Heel);
        for (var y = 0; y < height; y++)
        {
            var v = r.V[y];
            var thorax = r.Thorax[y];
            var lungOuter = thorax - 0.012f;
            var body = r.Body[y];
            var invBody = 1f / body;
            var apexFactor = r.ApexFactor[y];
            var vertebra = r.Vertebra[y];
            var trachea = r.Trachea[y];
            var rowHaze = haze * r.Haze[y];
            var ribRow = v < r.RibBottom;
            var (heartRight, heartLeft) = (r.HeartRight[y], r.HeartLeft[y]);
            var (mediastinumRight, mediastinumLeft) = (r.MediastinumRight[y], r.MediastinumLeft[y]);
            var (invLungWidthRight, invLungWidthLeft) = (r.InvLungWidthRight[y], r.InvLungWidthLeft[y]);
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                var i = row + x;
                var d = distance[x];
                var a = Background + (coarseAmplitude * coarse[i]) + heels[x];
                var q = d * invBody;
                if (q < 1f)
                {
                    var edge = Clamp01((body - d) * 100f);
                    a += soft * (0.3f + (0.7f * ThicknessTable[(int)(q * q * 1023f)])) * edge;
                    var diaphragm = diaphragms[x];
                    var below = Clamp01((v - diaphragm) * InvSoft);
                    a += abdomens[x] * below * edge;
                    a += spines[x] * vertebra;
                    a -= tracheas[x] * trachea;

                    var clavicle = clavicleWeights[x];
                    if (clavicle > 0f)
                    {
                        a += 0.07f * clavicle * Clamp01(1f - (MathF.Abs(v - claviclesV[x]) * InvClavicle));
                    }

                    var right = isRight[x];
                    var heart = right ? heartRight : heartLeft;
                    if (heart > 0f)
                    {
                        a += 0.05f * Clamp01((heart - d) * InvHeartSoft) * (1f - below);
                    }

                    var mediastinum = right ? mediastinumRight : mediastinumLeft;
                    if (ribRow)
                    {
                        // Ribs show through the lungs and the chest wall; over the mediastinum and heart they are faint.
                        var cage = Clamp01((thorax + 0.01f - d) * InvSoft) * (0.3f + (0.7f * Clamp01((d - mediastinum) * InvSoft)));
                        if (cage > 0f)
                        {
                            var p = (v - ribsPosterior[x]) * invRibSpacing;
                            if (p >= 0f && p < RibCount)
                            {
                                a += ribAmplitude * cage * RibTable[(int)((p - (int)p) * 255.99f)];
                            }

                            var pa = (v - ribsAnterior[x]) * invRibSpacing;
                            if (pa >= 0f && pa < RibCount - 3)
                            {
                                a += 0.5f * ribAmplitude * cage * anteriorWeights[x] * RibTable[(int)((pa - (int)pa) * 255.99f)];
                            }
                        }
                    }

                    var lung = Clamp01((d - mediastinum) * InvSoft) * Clamp01((lungOuter - d) * InvSoft)
                        * Clamp01((diaphragm - v) * InvSoft) * Clamp01((v - apices[x]) * (InvSoft * 0.5f));
                    if (lung > 0f)
                    {
                        var core = MathF.Min(1f, (d - mediastinum) * 14f) * MathF.Min(1f, (lungOuter - d) * 16f) * MathF.Min(1f, (diaphragm - v) * 20f);
                        var lungAir = air * lung * (0.55f + (0.45f * core)) * apexFactor;
                        var fluid = Clamp01((v - fluidLines[x]) * InvMeniscus);
                        lungAir *= 1f - fluid;
                        a += 0.04f * fluid * lung;

                        // Vessel-like ridges (zero crossings of band-limited noise), strongest towards the hila.
                        var ridge = Clamp01(1f - (MathF.Abs(fine[i]) * 1.6f));
                        var lateralFraction = Clamp01((d - mediastinum) * (right ? invLungWidthRight : invLungWidthLeft));
                        var hilar = 1f - (0.6f * lateralFraction);
                        a += lungAir * markings * ridge * ridge * hilar;

                        // Haze: part of the air replaced by fluid, patchy, in the mid and lower zones.
                        a += lungAir * rowHaze * Clamp01(0.8f + (0.25f * medium[i]) - (0.35f * lateralFraction));
                        a -= lungAir;
                        airMap[i] = lungAir;
                    }
                }

                image[i] = a;
            }
        }
    }

    /// <summary>Things that cover a small part of the image: consolidation, hila, breast shadows, gastric bubble.</summary>
    private void DrawBoxes(float[] image, float[] airMap, int width, int height, int scale, float[] medium)
    {
        var hilumRight = _centerX - 0.075;
        var hilumLeft = _centerX + 0.085;
        foreach (var (u, v) in new[] { (hilumRight, _heartTop + 0.04), (hilumLeft, _heartTop + 0.02) })
        {
            ForEllipse(width, height, scale, u, v, 0.035, 0.05, (i, bump) => image[i] += airMap[i] * 0.35f * bump);
        }

        if (_consolidationDensity > 0)
        {
            var density = (float)_consolidationDensity;
            ForEllipse(width, height, scale, _consolidationU, _consolidationV, _consolidationRadiusX, _consolidationRadiusY, (i, bump) =>
            {
                var patch = Clamp01(0.55f + (0.45f * medium[i]));
                image[i] += airMap[i] * MathF.Min(1f, density * MathF.Min(1f, bump * 1.8f) * patch);
            });
        }

        if (_female)
        {
            foreach (var side in new[] { -1, 1 })
            {
                var level = (side < 0 ? _domeRight : _domeLeft) + 0.01;
                ForEllipse(width, height, scale, _centerX + (side * (_thoraxHalfWidth * 0.62)), level, 0.15, 0.12, (i, bump) => image[i] += 0.06f * MathF.Min(1f, bump * 2f));
            }
        }

        if (_gastricBubble)
        {
            ForEllipse(width, height, scale, _centerX + 0.13, _domeLeft + 0.03, 0.045, 0.025, (i, bump) => image[i] -= 0.14f * MathF.Min(1f, bump * 3f));
        }
    }

    /// <summary>Calls <paramref name="apply"/> with (1 − r²)² for every pixel inside an axis-aligned ellipse.</summary>
    private static void ForEllipse(int width, int height, int scale, double u, double v, double radiusU, double radiusV, Action<int, float> apply)
    {
        var (x0, x1) = (ToPixel(u - radiusU, width, scale), ToPixel(u + radiusU, width, scale) + 1);
        var (y0, y1) = (ToPixel(v - radiusV, height, scale), ToPixel(v + radiusV, height, scale) + 1);
        for (var y = Math.Max(0, y0); y < Math.Min(height, y1); y++)
        {
            var ev = (float)((Coordinate(y, height, scale) - v) / radiusV);
            for (var x = Math.Max(0, x0); x < Math.Min(width, x1); x++)
            {
                var eu = (float)((Coordinate(x, width, scale) - u) / radiusU);
                var r2 = (eu * eu) + (ev * ev);
                if (r2 < 1f)
                {
                    var bump = 1f - r2;
                    apply((y * width) + x, bump * bump);
                }
            }
        }
    }

    private static int ToPixel(double coordinate, int length, int scale) => (int)Math.Floor(((coordinate - 0.5) * scale) + (length / 2.0));

    /// <summary>Anatomy coordinate of a pixel centre: the shorter side spans [0, 1], centred on the image.</summary>
    internal static double Coordinate(int pixel, int length, int scale) => ((pixel + 0.5 - (length / 2.0)) / scale) + 0.5;

    private static (double Base, double Rise) Fluid(bool present, double costophrenicAngle, double severity, RadiographRandom random)
    {
        var jitter = random.Gaussian(0, 0.006);
        if (!present || severity <= 0)
        {
            return (10, 0); // below the image: no fluid
        }

        return (costophrenicAngle + 0.01 - (0.17 * severity) + jitter, 0.04 + (0.07 * severity));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Clamp01(float x) => x < 0f ? 0f : x > 1f ? 1f : x;

    private static double Clamp01(double x) => double.IsNaN(x) ? 0 : Math.Clamp(x, 0, 1);

    private static float[] BuildThicknessTable()
    {
        var table = new float[1024];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (float)Math.Sqrt(1 - (i / 1023.0));
        }

        return table;
    }

    /// <summary>Cross-section of a rib along its phase: a band with brighter cortical margins, soft edges.</summary>
    private static float[] BuildRibTable()
    {
        var table = new float[256];
        for (var i = 0; i < table.Length; i++)
        {
            var f = i / 256.0;
            if (f >= RibWidthFraction)
            {
                continue;
            }

            var toEdge = Math.Min(f, RibWidthFraction - f);
            var cortex = Math.Max(0, 1 - (toEdge / 0.06));
            var ramp = Math.Min(1, toEdge / 0.02);
            table[i] = (float)(ramp * (0.55 + (0.45 * cortex)));
        }

        return table;
    }

    /// <summary>Per-column geometry.</summary>
    private sealed class Columns
    {
        public Columns(ChestPhantom p, int width, int scale)
        {
            D = new float[width];
            Right = new bool[width];
            Diaphragm = new float[width];
            Apex = new float[width];
            FluidLine = new float[width];
            RibPosterior = new float[width];
            RibAnterior = new float[width];
            AnteriorWeight = new float[width];
            Spine = new float[width];
            Trachea = new float[width];
            ClavicleV = new float[width];
            ClavicleWeight = new float[width];
            Abdomen = new float[width];
            Heel = new float[width];
            var lungBase = p._thoraxHalfWidth - 0.012;
            var domePeak = 0.5 * lungBase;
            for (var x = 0; x < width; x++)
            {
                var u = Coordinate(x, width, scale);
                var dx = u - p._centerX;
                var d = Math.Abs(dx);
                var right = dx < 0;
                D[x] = (float)d;
                Right[x] = right;

                var dome = right ? p._domeRight : p._domeLeft;
                double domeV;
                if (d >= domePeak)
                {
                    var t = (d - domePeak) / (lungBase - domePeak);
                    domeV = dome + (p._domeDepth * ((0.7 * t * t) + (0.3 * t * t * t * t)));
                }
                else
                {
                    var t = (domePeak - d) / domePeak;
                    domeV = dome + (0.5 * p._domeDepth * t * t);
                }

                Diaphragm[x] = (float)domeV;
                Apex[x] = (float)(p._apex + (8 * (d - p._apexOffset) * (d - p._apexOffset)));

                var (fluidBase, rise) = right ? (p._fluidBaseRight, p._fluidRiseRight) : (p._fluidBaseLeft, p._fluidRiseLeft);
                var lateral = Math.Min(d / lungBase, 1.2);
                FluidLine[x] = (float)(fluidBase - (rise * lateral * lateral));

                var r = d / p._thoraxHalfWidth;
                RibPosterior[x] = (float)(p._ribStart - (0.05 * r) + (p._ribCurve * r * r));
                RibAnterior[x] = (float)(p._ribStart + 0.05 + (0.13 * (1 - r)));
                AnteriorWeight[x] = (float)Clamp01((r - 0.3) / 0.15);

                Spine[x] = (float)(p._spineAmplitude * Clamp01((0.03 - d) / 0.008) * (0.85 + (0.3 * Clamp01((d - 0.018) / 0.01))));
                Trachea[x] = (float)(0.06 * Clamp01((0.011 - Math.Abs(dx - 0.004)) / 0.004));

                ClavicleV[x] = (float)(p._apex + 0.015 - (0.08 * (d - 0.02)) + (0.6 * (d - 0.12) * (d - 0.12)));
                ClavicleWeight[x] = (float)(Clamp01((d - 0.02) / 0.01) * Clamp01((0.26 - d) / 0.015));

                Abdomen[x] = (float)(right ? 0.035 : 0.02); // the liver under the right dome is a little denser
                Heel[x] = (float)(p._heel * (u - 0.5));
            }
        }

        public float[] D { get; }

        public bool[] Right { get; }

        public float[] Diaphragm { get; }

        public float[] Apex { get; }

        public float[] FluidLine { get; }

        public float[] RibPosterior { get; }

        public float[] RibAnterior { get; }

        public float[] AnteriorWeight { get; }

        public float[] Spine { get; }

        public float[] Trachea { get; }

        public float[] ClavicleV { get; }

        public float[] ClavicleWeight { get; }

        public float[] Abdomen { get; }

        public float[] Heel { get; }
    }

    /// <summary>Per-row geometry.</summary>
    private sealed class Rows
    {
        public Rows(ChestPhantom p, int height, int scale)
        {
            V = new float[height];
            Thorax = new float[height];
            Body = new float[height];
            HeartRight = new float[height];
            HeartLeft = new float[height];
            MediastinumRight = new float[height];
            MediastinumLeft = new float[height];
            InvLungWidthRight = new float[height];
            InvLungWidthLeft = new float[height];
            ApexFactor = new float[height];
            Vertebra = new float[height];
            Trachea = new float[height];
            Haze = new float[height];
            var wide = p._domeRight + 0.01;
            var top = 0.08;
            var lungBase = p._thoraxHalfWidth - 0.012;
            var heartWidth = p.CardiothoracicRatio * 2 * lungBase;
            var heartCentre = p._domeLeft - 0.06;
            RibBottom = (float)(p._domeRight + p._domeDepth + 0.06);
            for (var y = 0; y < height; y++)
            {
                var v = Coordinate(y, height, scale);
                V[y] = (float)v;
                var t = Math.Clamp((wide - v) / (wide - top), 0, 1);
                var thorax = p._thoraxHalfWidth * (1 - (0.38 * t * t));
                Thorax[y] = (float)thorax;
                Body[y] = (float)(p._thoraxHalfWidth + p._fat + (0.10 * Clamp01((0.28 - v) / 0.2)));

                double heartExtent = 0;
                if (v >= p._heartTop)
                {
                    var h = (heartCentre - v) / (heartCentre - p._heartTop);
                    var e = v >= heartCentre ? 1 : 1 - (h * h);
                    heartExtent = Math.Sqrt(Math.Max(0, e));
                }

                HeartRight[y] = (float)(heartWidth * p._heartRightFraction * heartExtent);
                HeartLeft[y] = (float)(heartWidth * (1 - p._heartRightFraction) * heartExtent);
                var k = (v - (p._heartTop - 0.065)) / 0.045;
                var knob = p._aorticKnob * Math.Max(0, 1 - (k * k));
                MediastinumRight[y] = (float)Math.Max(0.042, HeartRight[y]);
                MediastinumLeft[y] = (float)Math.Max(0.048 + knob, HeartLeft[y]);
                InvLungWidthRight[y] = (float)(1 / Math.Max(0.02, thorax - 0.012 - MediastinumRight[y]));
                InvLungWidthLeft[y] = (float)(1 / Math.Max(0.02, thorax - 0.012 - MediastinumLeft[y]));

                ApexFactor[y] = (float)(0.7 + (0.3 * Clamp01((v - p._apex - 0.02) / 0.12)));
                // Vertebral bodies and discs; the spine is mostly hidden behind the heart on a well-exposed film.
                var phase = ((v + 4) / 0.046) % 1;
                var disc = Clamp01(1 - (Math.Abs(phase - 0.9) / 0.08));
                Vertebra[y] = (float)((1 - (0.3 * disc)) * (1 - (0.6 * Clamp01((v - p._heartTop) / 0.05))));
                Trachea[y] = (float)Clamp01((p._heartTop - 0.07 - v) / 0.02);
                Haze[y] = (float)Clamp01((v - 0.28) / 0.2);
            }
        }

        public float[] V { get; }

        public float[] Thorax { get; }

        public float[] Body { get; }

        public float[] HeartRight { get; }

        public float[] HeartLeft { get; }

        public float[] MediastinumRight { get; }

        public float[] MediastinumLeft { get; }

        public float[] InvLungWidthRight { get; }

        public float[] InvLungWidthLeft { get; }

        public float[] ApexFactor { get; }

        public float[] Vertebra { get; }

        public float[] Trachea { get; }

        public float[] Haze { get; }

        public float RibBottom { get; }
    }
}
