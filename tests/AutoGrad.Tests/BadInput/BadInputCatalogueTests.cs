namespace AutoGrad.Tests.BadInput;

/// <summary>
/// The bad-input catalogue (<see cref="Catalogue"/>): every case must throw its specific exception, with a message naming
/// the op and the shapes, and leave every input, gradient, parameter and optimizer state as it was, with the graphs still
/// differentiating; every accepted case must behave as documented, again changing nothing else.
/// </summary>
public sealed class BadInputCatalogueTests
{
    public static IEnumerable<TestCaseData> Rejections() => Catalogue.Rejections.Select(c => new TestCaseData(c).SetName(c.Name));

    public static IEnumerable<TestCaseData> Acceptances() => Catalogue.Acceptances.Select(c => new TestCaseData(c).SetName(c.Name));

    [TestCaseSource(nameof(Rejections))]
    public void Is_rejected_with_a_specific_exception_and_changes_nothing(BadInputCase badInput)
    {
        var arena = new Arena();
        Action call = badInput.Arrange(arena);
        arena.Checkpoint();

        Exception? thrown = null;
        try
        {
            call();
        }
        catch (Exception e)
        {
            thrown = e;
        }

        Assert.That(thrown, Is.Not.Null, "nothing was thrown");
        Assert.That(thrown!.GetType(), Is.EqualTo(badInput.Exception), thrown.ToString());
        foreach (string word in badInput.Words)
        {
            Assert.That(thrown.Message, Does.Contain(word), "the message names the op and the shapes");
        }

        if (badInput.ParamName is not null)
        {
            Assert.That(thrown, Is.InstanceOf<ArgumentException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo(badInput.ParamName), "ParamName names the parameter");
        }

        arena.AssertUnchanged();
    }

    [TestCaseSource(nameof(Acceptances))]
    public void Is_accepted_as_documented_and_changes_nothing_else(AcceptedCase accepted)
    {
        var arena = new Arena();
        Action call = accepted.Act(arena);
        arena.Checkpoint();
        call();
        arena.AssertUnchanged();
    }

    [Test]
    public void Every_case_has_a_unique_name()
    {
        string[] names = [.. Catalogue.Rejections.Select(c => c.Name), .. Catalogue.Acceptances.Select(c => c.Name)];
        Assert.That(names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty);
    }
}
