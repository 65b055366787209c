using System.Globalization;
using Backprop.Data;
using Backprop.Explain;
using Backprop.IO;
using Backprop.Playground.Core;
using Backprop.NN;
using Backprop.Training;
using Microsoft.AspNetCore.Components.Forms;

namespace Backprop.Playground.Pages;

/// <summary>The page's controls: each turns a click into changed settings (or own points) and applies them.</summary>
public sealed partial class Home
{
    /// <summary>An uploaded CSV larger than this is refused before it is read.</summary>
    private const long MaxUpload = 1 << 20;

    private int ownClass;
    private string? uploadProblem;
    private ParameterRef? hovered;
    private (int Layer, int Neuron)? hoveredNode;

    private string HoverText => hovered is { } p && session is not null
        ? $"{p} = {session[p].ToString("G4", CultureInfo.InvariantCulture)} (click to see its gradient and edit it)"
        : "Hover over a link for its weight; click it for its gradient.";

    private void SetLayerActivation((int Layer, Activation Activation) change) =>
        Apply(settings with { Activations = [.. settings.Activations.Select((a, i) => i == change.Layer ? change.Activation : a)] });

    /// <summary>Adds a hidden layer of two neurons with the last layer's activation (as TensorFlow Playground), or removes the last.</summary>
    private void ChangeLayers(int change)
    {
        if (change > 0)
            Apply(settings with { NetworkShape = [.. settings.NetworkShape, 2], Activations = [.. settings.Activations, settings.Activations.LastOrDefault(Activation.Tanh)] });
        else
            Apply(settings with { NetworkShape = [.. settings.NetworkShape.SkipLast(1)], Activations = [.. settings.Activations.SkipLast(1)] });
    }

    private void Resize((int Layer, int Change) resize) =>
        Apply(settings with { NetworkShape = [.. settings.NetworkShape.Select((n, i) => i == resize.Layer ? n + resize.Change : n)] });

    private void ToggleFeature(InputFeature feature)
    {
        var features = settings.Features.Contains(feature)
            ? settings.Features.Where(f => f != feature).ToList()
            : InputFeatures.All.Where(f => f == feature || settings.Features.Contains(f)).ToList();
        if (features.Count > 0) Apply(settings with { Features = features });
    }

    /// <summary>Starts the learner's own data from the points on screen, to add to or clear.</summary>
    private void UseOwnData()
    {
        if (settings.Dataset is null) return;
        UsePoints([.. session?.TrainPoints ?? [], .. session?.TestPoints ?? []], settings.Classes);
    }

    /// <summary>Reads an uploaded CSV of x1,x2,label rows (a header row first, or none) as the learner's own points.</summary>
    private async Task Upload(InputFileChangeEventArgs e)
    {
        try
        {
            using var reader = new StreamReader(e.File.OpenReadStream(MaxUpload));
            var text = await reader.ReadToEndAsync();
            var data = CsvFile.Read(new StringReader(text), e.File.Name).ToDataset(classes: true);
            if (data.FeatureCount != 2) throw new DataFileException(e.File.Name, $"has {data.FeatureCount} feature columns; expected two (x1, x2) and a label");
            var xs = data.Features.ToFloatArray();
            var labels = data.Targets.ToInt64Array();
            if (labels.Length == 0) throw new DataFileException(e.File.Name, "has no points");
            int classes = (int)labels.Max() + 1;
            if (classes > PlaygroundSettings.MaxClasses) throw new DataFileException(e.File.Name, $"has {classes} classes; at most {PlaygroundSettings.MaxClasses}");
            uploadProblem = null;
            UsePoints([.. labels.Select((label, i) => new PlanePoint(xs[2 * i], xs[2 * i + 1], label))], Math.Max(2, classes));
        }
        catch (Exception ex) when (ex is DataFileException or IOException)
        {
            uploadProblem = ex.Message;
        }
    }

    private void DownloadFile(string what)
    {
        if (session is null) return;
        string name = settings.Dataset?.UrlKey() ?? "own-data";
        switch (what)
        {
            case "model": Download($"playground-{name}.safetensors", session.ModelFileBytes(), "application/octet-stream"); break;
            case "onnx": Download($"playground-{name}.onnx", session.OnnxBytes(), "application/octet-stream"); break;
            default: Download($"playground-{name}-test.csv", System.Text.Encoding.UTF8.GetBytes(session.Csv(testSet: true)), "text/csv"); break;
        }
    }
}
