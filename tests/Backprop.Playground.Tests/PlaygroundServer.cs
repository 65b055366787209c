using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Backprop.Playground.Tests;

/// <summary>
/// The published page (a folder of static files) served by ASP.NET Core's Kestrel on 127.0.0.1 at a free port, as a
/// static host would serve it: files with their content types, <c>index.html</c> for the client's routes
/// (<c>/article</c>), nothing cached.
/// </summary>
internal sealed class PlaygroundServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private PlaygroundServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The content types the server sends, by file extension: ASP.NET's table (which has <c>.wasm</c>,
    /// <c>.js</c>, <c>.json</c>) with the runtime's ICU data added. A file whose extension is in neither is a 404.</summary>
    public static FileExtensionContentTypeProvider ContentTypes()
    {
        var types = new FileExtensionContentTypeProvider();
        // ICU's data (icudt*.dat), which a build without InvariantGlobalization ships; ASP.NET's table lacks .dat.
        types.Mappings[".dat"] = "application/octet-stream";
        return types;
    }

    public static async Task<PlaygroundServer> StartAsync(string webRoot)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = webRoot,
            WebRootPath = webRoot,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0)); // port 0: the system picks a free one

        var app = builder.Build();
        var files = new PhysicalFileProvider(webRoot);
        app.Use((context, next) =>
        {
            // Every test gets the files as they are on disk now, never a copy from an earlier run.
            context.Response.Headers.CacheControl = "no-store";
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = ContentTypes() });
        // A path without a file extension is a route of the page's own router; a missing file stays a 404.
        app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new PlaygroundServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
