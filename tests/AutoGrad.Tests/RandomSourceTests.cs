namespace AutoGrad.Tests;

/// <summary>
/// <see cref="RandomSource"/> against an independent reference of xoshiro256** seeded by SplitMix64,
/// written from the published algorithms (Blackman and Vigna, https://prng.di.unimi.it/), and the random tensor factories.
/// </summary>
public sealed class RandomSourceTests
{
    // ---- Golden values ----

    [Test]
    public void The_reference_SplitMix64_gives_its_published_first_output_for_seed_zero()
    {
        var reference = new ReferenceSplitMix64(0);

        Assert.That(reference.Next(), Is.EqualTo(0xE220A8397B1DCDAFUL));
    }

    [Test]
    public void The_first_four_values_for_seed_42_match_the_reference_xoshiro256_star_star()
    {
        var reference = new ReferenceXoshiro256StarStar(42);
        ulong[] expected = [reference.Next(), reference.Next(), reference.Next(), reference.Next()];
        var random = new RandomSource(42);

        ulong[] actual = [random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()];

        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void The_first_four_values_for_seed_42_are_pinned()
    {
        // Computed once with the reference algorithm in Python's arbitrary-precision integers.
        var random = new RandomSource(42);

        ulong[] actual = [random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()];

        Assert.That(
            actual,
            Is.EqualTo(new[] { 0x15780B2E0C2EC716UL, 0x6104D9866D113A7EUL, 0xAE17533239E499A1UL, 0xECB8AD4703B360A1UL }));
    }

    [Test]
    public void A_negative_seed_uses_its_twos_complement_bits()
    {
        var random = new RandomSource(-1);

        Assert.That(random.NextUInt64(), Is.EqualTo(0x8F5520D52A7EAD08UL));
        Assert.That(random.NextUInt64(), Is.EqualTo(0xC476A018CAA1802DUL));
    }

    [Test]
    public void A_long_run_matches_the_reference_for_several_seeds()
    {
        foreach (long seed in new long[] { 0, 1, 42, -7, long.MaxValue, long.MinValue })
        {
            var reference = new ReferenceXoshiro256StarStar(seed);
            var random = new RandomSource(seed);
            for (int i = 0; i < 1000; i++)
            {
                Assert.That(random.NextUInt64(), Is.EqualTo(reference.Next()), $"seed {seed}, draw {i}");
            }
        }
    }

    [Test]
    public void NextDouble_uses_the_top_53_bits_of_the_next_value()
    {
        var reference = new ReferenceXoshiro256StarStar(123);
        var random = new RandomSource(123);

        for (int i = 0; i < 100; i++)
        {
            double expected = (reference.Next() >> 11) / 9007199254740992.0; // 2^53
            Assert.That(random.NextDouble(), Is.EqualTo(expected));
        }
    }

    // ---- Determinism ----

    [Test]
    public void The_same_seed_gives_the_same_sequence()
    {
        var a = new RandomSource(2024);
        var b = new RandomSource(2024);

        for (int i = 0; i < 1000; i++)
        {
            Assert.That(a.NextUInt64(), Is.EqualTo(b.NextUInt64()));
        }

        for (int i = 0; i < 1000; i++)
        {
            Assert.That(a.NextNormal(), Is.EqualTo(b.NextNormal()));
            Assert.That(a.NextDouble(), Is.EqualTo(b.NextDouble()));
        }
    }

    [Test]
    public void Different_seeds_give_different_sequences()
    {
        var a = new RandomSource(42);
        var b = new RandomSource(43);

        ulong[] first = [a.NextUInt64(), a.NextUInt64(), a.NextUInt64(), a.NextUInt64()];
        ulong[] second = [b.NextUInt64(), b.NextUInt64(), b.NextUInt64(), b.NextUInt64()];

        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(first.Intersect(second), Is.Empty);
    }

    // ---- Distributions ----

    [Test]
    public void NextDouble_stays_in_the_half_open_unit_interval_and_averages_one_half()
    {
        var random = new RandomSource(7);
        const int count = 100_000;
        double sum = 0;
        double min = double.MaxValue, max = double.MinValue;

        for (int i = 0; i < count; i++)
        {
            double u = random.NextDouble();
            sum += u;
            min = Math.Min(min, u);
            max = Math.Max(max, u);
        }

        Assert.That(min, Is.GreaterThanOrEqualTo(0));
        Assert.That(max, Is.LessThan(1));
        Assert.That(sum / count, Is.EqualTo(0.5).Within(0.01));
    }

    [Test]
    public void NextNormal_has_mean_zero_and_variance_one_over_many_draws()
    {
        var random = new RandomSource(11);
        const int count = 100_000;
        double sum = 0, sumOfSquares = 0;

        for (int i = 0; i < count; i++)
        {
            double z = random.NextNormal();
            sum += z;
            sumOfSquares += z * z;
        }

        double mean = sum / count;
        double variance = (sumOfSquares / count) - (mean * mean);
        Assert.That(mean, Is.EqualTo(0).Within(0.02));
        Assert.That(variance, Is.EqualTo(1).Within(0.02));
    }

    [Test]
    public void NextNormal_puts_about_68_percent_of_draws_within_one_standard_deviation()
    {
        var random = new RandomSource(13);
        const int count = 100_000;
        int inside = 0;

        for (int i = 0; i < count; i++)
        {
            if (Math.Abs(random.NextNormal()) < 1)
            {
                inside++;
            }
        }

        // P(|Z| < 1) = erf(1 / sqrt 2) = 0.682689...
        Assert.That((double)inside / count, Is.EqualTo(0.682689).Within(0.01));
    }

    // ---- Random tensors ----

    [Test]
    public void RandomNormal_is_deterministic_for_a_seed()
    {
        Tensor a = Tensor.RandomNormal([3, 4], new RandomSource(5), dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([3, 4], new RandomSource(5), dtype: DType.Float64);

        Assert.That(a.Shape.ToArray(), Is.EqualTo(new[] { 3, 4 }));
        Assert.That(a.ToArray<double>(), Is.EqualTo(b.ToArray<double>()));
    }

    [Test]
    public void RandomNormal_applies_the_mean_and_standard_deviation_to_the_source_draws_in_order()
    {
        var source = new RandomSource(5);
        double[] expected = [.. Enumerable.Range(0, 12).Select(_ => 2 + (0.5 * source.NextNormal()))];

        Tensor t = Tensor.RandomNormal([3, 4], new RandomSource(5), mean: 2, standardDeviation: 0.5, dtype: DType.Float64);

        Assert.That(t.ToArray<double>(), Is.EqualTo(expected));
    }

    [Test]
    public void RandomNormal_float32_values_are_the_float64_values_rounded()
    {
        double[] wide = Tensor.RandomNormal([5, 7], new RandomSource(9), 1, 3, DType.Float64).ToArray<double>();

        Tensor narrow = Tensor.RandomNormal([5, 7], new RandomSource(9), 1, 3, DType.Float32);

        Assert.That(narrow.DType, Is.EqualTo(DType.Float32));
        Assert.That(narrow.ToArray<float>(), Is.EqualTo(wide.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void RandomUniform_is_deterministic_for_a_seed()
    {
        Tensor a = Tensor.RandomUniform([10], new RandomSource(3));
        Tensor b = Tensor.RandomUniform([10], new RandomSource(3));

        Assert.That(a.DType, Is.EqualTo(DType.Float32));
        Assert.That(a.ToArray<float>(), Is.EqualTo(b.ToArray<float>()));
    }

    [Test]
    public void RandomUniform_scales_the_source_draws_to_the_interval_in_order()
    {
        var source = new RandomSource(21);
        double[] expected = [.. Enumerable.Range(0, 6).Select(_ => -2 + (5 * source.NextDouble()))];

        Tensor t = Tensor.RandomUniform([2, 3], new RandomSource(21), -2, 3, DType.Float64);

        Assert.That(t.ToArray<double>(), Is.EqualTo(expected));
    }

    [Test]
    public void RandomUniform_float32_values_are_the_float64_values_rounded()
    {
        double[] wide = Tensor.RandomUniform([100], new RandomSource(8), -1, 1, DType.Float64).ToArray<double>();

        float[] narrow = Tensor.RandomUniform([100], new RandomSource(8), -1, 1, DType.Float32).ToArray<float>();

        Assert.That(narrow, Is.EqualTo(wide.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void RandomUniform_stays_within_low_inclusive_and_high_exclusive()
    {
        double[] wide = Tensor.RandomUniform([10_000], new RandomSource(17), -2, 3, DType.Float64).ToArray<double>();
        float[] narrow = Tensor.RandomUniform([10_000], new RandomSource(17), -2, 3, DType.Float32).ToArray<float>();

        Assert.That(wide, Is.All.GreaterThanOrEqualTo(-2.0).And.All.LessThan(3.0));
        Assert.That(narrow, Is.All.GreaterThanOrEqualTo(-2f).And.All.LessThan(3f));
        Assert.That(wide.Average(), Is.EqualTo(0.5).Within(0.05));
    }

    [Test]
    public void The_random_factories_require_a_source()
    {
        Assert.That(() => Tensor.RandomNormal([2], null!), Throws.ArgumentNullException);
        Assert.That(() => Tensor.RandomUniform([2], null!), Throws.ArgumentNullException);
    }

    /// <summary>SplitMix64 (Vigna, 2015): a Weyl sequence with increment ⌊2^64/φ⌋ passed through a bit mixer.</summary>
    private sealed class ReferenceSplitMix64(long seed)
    {
        private ulong _x = unchecked((ulong)seed);

        public ulong Next()
        {
            unchecked
            {
                _x += 0x9E3779B97F4A7C15UL;
                ulong z = _x;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }
    }

    /// <summary>xoshiro256** 1.0 (Blackman and Vigna, 2018), its four state words filled by SplitMix64.</summary>
    private sealed class ReferenceXoshiro256StarStar
    {
        private readonly ulong[] _s = new ulong[4];

        public ReferenceXoshiro256StarStar(long seed)
        {
            var seeder = new ReferenceSplitMix64(seed);
            for (int i = 0; i < _s.Length; i++)
            {
                _s[i] = seeder.Next();
            }
        }

        public ulong Next()
        {
            unchecked
            {
                ulong result = Rotl(_s[1] * 5, 7) * 9;
                ulong t = _s[1] << 17;
                _s[2] ^= _s[0];
                _s[3] ^= _s[1];
                _s[1] ^= _s[2];
                _s[0] ^= _s[3];
                _s[2] ^= t;
                _s[3] = Rotl(_s[3], 45);
                return result;
            }
        }

        private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));
    }
}
