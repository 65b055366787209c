using System.Globalization;
using System.Runtime.InteropServices;
using Backprop.Data;
using Backprop.Explain;
using Backprop.Losses;
using Backprop.Playground.Core;
using Backprop.Playground.Interop;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Backprop.Playground.Pages;

/// <summary>
/// The playground: settings in, a <see cref="PlaygroundSession"/> of the library trains, and every frame draws what it
/// computed. This class holds the page's state and its actions; the components only show it.
/// </summary>
public sealed partial class Home : IDisposable
{
    /// <summary>Grid points along each side of a heat map: 2,500 points through the network per frame.</summary>
    private const int MapResolution = 50;

    /// <summary>Losses kept for the chart (the oldest are dropped beyond it).</summary>
    private const int ChartLength = 2000;

    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    private PlaygroundSettings settings = new();
    private PlaygroundSession? session;
    private NeuronMaps? maps;
    private PlaygroundScores? scores;
    private readonly List<PlanePoint> ownPoints = [];
    private readonly List<float> trainLosses = [], testLosses = [];
    private IReadOnlyList<string> urlProblems = [];
    private string? dataProblem;
    private DotNetObjectReference<Home>? self;
    private bool playing, scriptsLoaded;
    private (PlaygroundSession?, bool) pointsDrawn;

    private ParameterRef? selected;
    private ParameterGradientExplanation? explanation;
    private string? lastUpdate;

    /// <summary>Bumped whenever the network's drawing must be rebuilt (its shape or the selection changed).</summary>
    private int diagramVersion;

    protected override void OnInitialized()
    {
        var fragment = new Uri(Navigation.Uri).Fragment;
        if (fragment.Length > 1) settings = PlaygroundHash.Parse(fragment, new PlaygroundSettings(), out urlProblems);
        StartSession();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await PageScripts.LoadAsync();
            scriptsLoaded = true;
            self = DotNetObjectReference.Create(this);
        }
        PageScripts.BindElements();
        Draw();
    }

    /// <summary>A new run from the settings: new data when they name a data set, new weights from the seed.</summary>
    private void StartSession()
    {
        selected = null;
        explanation = null;
        lastUpdate = null;
        trainLosses.Clear();
        testLosses.Clear();
        diagramVersion++;
        try
        {
            session = new PlaygroundSession(settings, ownPoints);
            maps = new NeuronMaps(settings, MapResolution);
            dataProblem = null;
            Measure();
        }
        catch (ArgumentException e) when (settings.Dataset is null)
        {
            session = null;
            scores = null;
            dataProblem = ownPoints.Count == 0 ? "Click on the map to add points of the chosen class (shift-click: the next class), or upload a CSV." : e.Message;
            if (playing) Pause();
        }
    }

    private void Measure()
    {
        if (session is null) return;
        scores = session.Score();
        if (trainLosses.Count == ChartLength) { trainLosses.RemoveAt(0); testLosses.RemoveAt(0); }
        trainLosses.Add((float)scores.Train.Loss);
        testLosses.Add((float)(scores.Test?.Loss ?? double.NaN));
    }

    /// <summary>Applies changed settings: a change of how it learns keeps the network; any other starts a new run.</summary>
    private void Apply(PlaygroundSettings changed)
    {
        if (changed.Problems() is not null) return;
        settings = changed;
        WriteUrl();
        if (session?.CanAdjust(changed) == true)
        {
            session.Adjust(changed);
            if (selected is { } parameter) explanation = session.Explain(parameter); // the penalty or the batch may have changed
        }
        else StartSession();
        StateHasChanged();
    }

    private void WriteUrl() => _ = JS.InvokeVoidAsync("history.replaceState", null, "", "#" + PlaygroundHash.Format(settings));

    private void TogglePlay()
    {
        if (playing) Pause();
        else if (session is not null && self is not null && scriptsLoaded)
        {
            playing = true;
            _ = StartLoopAsync();
        }
    }

    private async Task StartLoopAsync()
    {
        var module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/playground.js");
        if (playing) await module.InvokeVoidAsync("startLoop", self);
    }

    /// <summary>Stops the frame loop at once (synchronously, so that no frame calls into a page that is going away).</summary>
    private void Pause()
    {
        playing = false;
        if (scriptsLoaded) PageScripts.StopLoop();
    }

    /// <summary>One animation frame while playing: one epoch of training, then everything redrawn.</summary>
    [JSInvokable]
    public void Frame()
    {
        if (session is null || !playing) return;
        session.FinishEpoch();
        Measure();
        if (selected is { } parameter) explanation = session.Explain(parameter);
        lastUpdate = null;
        StateHasChanged();
    }

    /// <summary>One gradient step (one batch), with the selected parameter's update written out.</summary>
    private void Step()
    {
        if (session is null) return;
        if (playing) Pause();
        float before = selected is { } watched ? session[watched] : 0;
        session.Step();
        Measure();
        if (selected is { } parameter)
        {
            lastUpdate = ParameterGradientExplanation.UpdateLine(parameter.ToString(), before, settings.LearningRate, session.Gradient(parameter) ?? 0, session[parameter]);
            explanation = session.Explain(parameter);
        }
    }

    private void Reset()
    {
        if (playing) Pause();
        StartSession();
    }

    private void Regenerate() => Apply(settings with { Seed = settings.Seed + 1 });

    private void Select(ParameterRef parameter)
    {
        if (session is null) return;
        selected = parameter;
        explanation = session.Explain(parameter);
        lastUpdate = null;
        diagramVersion++;
    }

    private void Edit(ParameterRef parameter, string text)
    {
        if (session is null || !float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value)) return;
        session[parameter] = value;
        explanation = session.Explain(parameter);
        Measure();
    }

    /// <summary>Adds one of the learner's own points where the output map was clicked.</summary>
    private void AddPoint(float x1, float x2, int label)
    {
        ownPoints.Add(new PlanePoint(x1, x2, label));
        StartSession();
    }

    private void ClearPoints()
    {
        ownPoints.Clear();
        StartSession();
    }

    private void UsePoints(IReadOnlyList<PlanePoint> points, int classes)
    {
        ownPoints.Clear();
        ownPoints.AddRange(points);
        var changed = settings with { Dataset = null, Problem = PlaygroundProblem.Classification, Classes = classes, Loss = classes > 2 ? new CrossEntropyLoss() : settings.Loss };
        settings = changed;
        WriteUrl();
        StartSession();
    }

    /// <summary>Draws the maps, links, biases, points and chart from the session (the numbers are rendered by Blazor).</summary>
    private void Draw()
    {
        if (!scriptsLoaded || session is null || maps is null) return;
        session.DrawMaps(maps);
        PageScripts.DrawMaps(Bytes(maps.Values), maps.Resolution, [.. maps.LayerSizes], OutputMode, settings.Discretize);
        PageScripts.DrawLinks(Bytes(LinkValues()), settings.GradientView);
        PageScripts.DrawBiases(Bytes(BiasValues()));
        // The points change only with the data or the view: redrawing 500 circles every frame would cost a frame's budget.
        if (pointsDrawn != (session, settings.ShowTestData))
        {
            PageScripts.DrawPoints("output-points", Bytes(PointValues()), PlaneData.Extent, settings.Problem == PlaygroundProblem.Regression);
            pointsDrawn = (session, settings.ShowTestData);
        }
        PageScripts.DrawChart("loss-chart", Bytes(CollectionsMarshal.AsSpan(trainLosses)), Bytes(CollectionsMarshal.AsSpan(testLosses)));
    }

    private static Span<byte> Bytes(Span<float> values) => MemoryMarshal.AsBytes(values);

    private string OutputMode => settings.Loss is CrossEntropyLoss ? "classes" : "signed";

    /// <summary>Every weight (or its gradient in gradient view) in link order: layer by layer, from-neuron, to-neuron.</summary>
    private float[] LinkValues()
    {
        var values = new List<float>();
        for (int l = 1; l <= session!.Layers.Count; l++)
        {
            var layer = session.Layers[l - 1];
            for (int i = 0; i < layer.InFeatures; i++)
                for (int j = 0; j < layer.OutFeatures; j++)
                {
                    var weight = ParameterRef.Weight(l, i, j);
                    values.Add(settings.GradientView ? session.Gradient(weight) ?? 0 : session[weight]);
                }
        }
        return [.. values];
    }

    private float[] BiasValues()
    {
        var values = new List<float>();
        for (int l = 1; l <= session!.Layers.Count; l++)
            for (int j = 0; j < session.Layers[l - 1].OutFeatures; j++) values.Add(session[ParameterRef.Bias(l, j)]);
        return [.. values];
    }

    private float[] PointValues()
    {
        var points = session!.TrainPoints.Select(p => (p, 0f));
        if (settings.ShowTestData) points = points.Concat(session.TestPoints.Select(p => (p, 1f)));
        return [.. points.SelectMany(e => new[] { e.p.X1, e.p.X2, e.p.Label, e.Item2 })];
    }

    private void Download(string name, byte[] bytes, string type) => PageScripts.Download(name, bytes, type);

    public void Dispose()
    {
        Pause();
        self?.Dispose();
    }
}
