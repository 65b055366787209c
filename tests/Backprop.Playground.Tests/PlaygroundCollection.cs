namespace Backprop.Playground.Tests;

/// <summary>The tests that share one published page, one server and one browser; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PlaygroundCollection : ICollectionFixture<PlaygroundFixture>
{
    public const string Name = "Playground";
}
