using System.Reflection;

namespace AutoGrad.Tests.BadInput;

/// <summary>
/// Every public method, constructor, property setter and indexer of the library has a catalogue case, or is listed in
/// <see cref="Catalogue.Exempt"/> with the reason it takes no bad input: a new public member without either fails here.
/// </summary>
public sealed class CatalogueCoverageTests
{
    [Test]
    public void Every_public_entry_point_has_a_case_or_a_reason()
    {
        var covered = Catalogue.Rejections.Select(c => c.EntryPoint).Concat(Catalogue.Acceptances.Select(c => c.EntryPoint)).ToHashSet();
        string[] missing = [.. PublicEntryPoints().Where(e => !covered.Contains(e) && !Catalogue.Exempt.ContainsKey(e))];

        Assert.That(missing, Is.Empty, "public entry points with neither a bad-input case nor an exemption");
    }

    [Test]
    public void Every_case_and_exemption_names_a_public_entry_point()
    {
        HashSet<string> entryPoints = [.. PublicEntryPoints()];
        string[] unknown =
        [
            .. Catalogue.Rejections.Select(c => c.EntryPoint), .. Catalogue.Acceptances.Select(c => c.EntryPoint), .. Catalogue.Exempt.Keys,
        ];

        Assert.That(unknown.Where(e => !entryPoints.Contains(e)).Distinct(), Is.Empty, "catalogue keys that name no public member");
    }

    [Test]
    public void No_entry_point_is_both_covered_and_exempt()
    {
        var covered = Catalogue.Rejections.Select(c => c.EntryPoint).Concat(Catalogue.Acceptances.Select(c => c.EntryPoint)).ToHashSet();
        Assert.That(Catalogue.Exempt.Keys.Where(covered.Contains), Is.Empty);
    }

    /// <summary>
    /// <c>Type.Member</c> for every public method, constructor, setter and indexer declared by an exported type, leaving out
    /// property getters without parameters, enum members, and what the compiler writes for records (equality, copying,
    /// deconstruction, printing).
    /// </summary>
    internal static IEnumerable<string> PublicEntryPoints()
    {
        string[] synthesized = ["Equals", "GetHashCode", "ToString", "Deconstruct", "op_Equality", "op_Inequality", "<Clone>$", "PrintMembers"];
        foreach (Type type in typeof(Tensor).Assembly.GetExportedTypes().Where(t => !t.IsEnum))
        {
            const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (ConstructorInfo constructor in type.GetConstructors(Declared).Where(c => !IsRecordCopy(type, c)))
            {
                yield return $"{type.Name}.ctor";
            }

            // Protected members of a type a user can derive from are public API too.
            const BindingFlags DeclaredProtected = BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            IEnumerable<MethodBase> inherited = type.IsSealed ? [] : type.GetMethods(DeclaredProtected).Concat<MethodBase>(type.GetConstructors(DeclaredProtected)).Where(m => m.IsFamily || m.IsFamilyOrAssembly);
            foreach (MethodBase member in inherited.Where(m => (!IsRecord(type) || m.Name != "PrintMembers") && !(m.IsSpecialName && m.Name.StartsWith("get_", StringComparison.Ordinal))))
            {
                yield return member is ConstructorInfo ? $"{type.Name}.ctor" : $"{type.Name}.{member.Name}";
            }

            foreach (MethodInfo method in type.GetMethods(Declared))
            {
                bool getter = method.IsSpecialName && method.Name.StartsWith("get_", StringComparison.Ordinal) && method.GetParameters().Length == 0;
                bool recordMember = synthesized.Contains(method.Name) && IsRecord(type);
                bool initSetter = method.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit");
                if (!getter && !recordMember && !initSetter)
                {
                    yield return $"{type.Name}.{method.Name}";
                }
            }
        }
    }

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null || type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null;

    private static bool IsRecordCopy(Type type, ConstructorInfo constructor)
        => IsRecord(type) && constructor.GetParameters() is [{ } only] && only.ParameterType == type;
}
