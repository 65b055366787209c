// Drawing for the playground page: the heat maps, the links' colours, the points and the loss chart. The numbers all come
// from .NET (the Backprop engine) as typed-array views; this file only turns them into pixels.

const ORANGE = [245, 147, 34], WHITE = [232, 234, 235], BLUE = [8, 119, 189];
// Class colours: TensorFlow Playground's orange and blue for the first two, then green, purple, red.
export const CLASS_COLOURS = [ORANGE, BLUE, [44, 160, 44], [148, 103, 189], [214, 39, 40]];

// A float32 array sent from .NET as its bytes (a view valid only during the call): copied out and read as floats.
function floats(view) {
    return new Float32Array(view.slice().buffer);
}

function mix(a, b, t) {
    return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// −1 orange, 0 white, +1 blue, clamped.
function signedColour(v) {
    if (!(v === v)) return WHITE; // NaN: nothing to show
    const t = Math.max(-1, Math.min(1, v));
    return t < 0 ? mix(WHITE, ORANGE, -t) : mix(WHITE, BLUE, t);
}

// The signed scale in 256 steps from −1 to +1, so that painting a map looks colours up instead of mixing them per pixel.
const SIGNED = Array.from({ length: 256 }, (_, i) => signedColour(i / 127.5 - 1));

function signedIndex(v) {
    return v === v ? Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5) : 128;
}

// Paints a resolution² canvas: colourAt(p) gives point p's colour as [r, g, b].
function paint(canvas, resolution, colourAt) {
    if (canvas.width !== resolution || canvas.height !== resolution) { canvas.width = resolution; canvas.height = resolution; }
    const context = canvas.getContext("2d");
    const image = context.createImageData(resolution, resolution);
    const pixels = image.data;
    for (let p = 0; p < resolution * resolution; p++) {
        const c = colourAt(p);
        pixels[4 * p] = c[0]; pixels[4 * p + 1] = c[1]; pixels[4 * p + 2] = c[2]; pixels[4 * p + 3] = 255;
    }
    context.putImageData(image, 0, 0);
}

let mapCanvases = null, linkElements = null, biasElements = null;

// Called after the page redraws the network's structure, so that the next frames find the new elements.
export function bindElements() {
    mapCanvases = Array.from(document.querySelectorAll("canvas[data-map]"));
    linkElements = Array.from(document.querySelectorAll("[data-link]")).sort((a, b) => a.dataset.link - b.dataset.link);
    biasElements = Array.from(document.querySelectorAll("[data-bias]")).sort((a, b) => a.dataset.bias - b.dataset.bias);
}

// Every neuron's map onto the canvases marked data-map="L-J", and the output onto data-map="output". The values come as
// NeuronMaps lays them out: a block per layer, point by point, each point's neurons side by side. outputMode: "signed"
// (one output in [−1, 1]) or "classes" (one probability per class).
export function drawMaps(values, resolution, layerSizes, outputMode, discretize) {
    if (mapCanvases === null) bindElements();
    const data = floats(values);
    const points = resolution * resolution;
    const starts = [0];
    for (let l = 1; l < layerSizes.length; l++) starts.push(starts[l - 1] + layerSizes[l - 1] * points);
    const outputLayer = layerSizes.length - 1, classes = layerSizes[outputLayer];
    for (const canvas of mapCanvases) {
        const key = canvas.dataset.map;
        if (key === "output") {
            paint(canvas, resolution, outputColour(data, starts[outputLayer], classes, outputMode, discretize));
            continue;
        }
        const [l, j] = key.split("-").map(Number);
        if (l >= layerSizes.length || j >= layerSizes[l]) continue;
        const start = starts[l] + j, stride = layerSizes[l];
        if (l === outputLayer && outputMode === "classes")
            paint(canvas, resolution, p => mix(WHITE, CLASS_COLOURS[j], Math.max(0, Math.min(1, data[start + p * stride]))));
        else
            paint(canvas, resolution, p => SIGNED[signedIndex(data[start + p * stride])]);
    }
}

function outputColour(data, start, classes, mode, discretize) {
    if (mode === "signed") return p => SIGNED[signedIndex(discretize ? Math.sign(data[start + p]) : data[start + p])];
    return p => {
        const at = start + p * classes;
        let best = 0;
        for (let c = 1; c < classes; c++) if (data[at + c] > data[at + best]) best = c;
        const confidence = (data[at + best] - 1 / classes) / (1 - 1 / classes);
        return mix(WHITE, CLASS_COLOURS[best], discretize ? 1 : 0.15 + 0.85 * confidence);
    };
}

// Links coloured and sized by their weights (or gradients): values in link order. In gradient view the values are
// scaled by the largest, so that the largest gradient is drawn full and vanishing ones fade.
export function drawLinks(values, gradientView) {
    if (linkElements === null) bindElements();
    const data = floats(values);
    let scale = 1;
    if (gradientView) {
        let largest = 0;
        for (const v of data) largest = Math.max(largest, Math.abs(v));
        scale = largest > 0 ? 1 / largest : 1;
    }
    for (let i = 0; i < linkElements.length && i < data.length; i++) {
        const v = data[i] * scale;
        const c = signedColour(v);
        linkElements[i].style.stroke = `rgb(${c[0]},${c[1]},${c[2]})`;
        linkElements[i].style.strokeWidth = gradientView ? 1 + 7 * Math.min(1, Math.abs(v)) : 1 + 9 * Math.min(1, Math.abs(v) / 5);
    }
}

export function drawBiases(values) {
    if (biasElements === null) bindElements();
    const data = floats(values);
    for (let i = 0; i < biasElements.length && i < data.length; i++) {
        const c = signedColour(data[i]);
        biasElements[i].style.fill = `rgb(${c[0]},${c[1]},${c[2]})`;
    }
}

// The points on the output map: x₁, x₂, label, isTest for each, in a flat array. Classes get their colour; regression
// values their signed colour.
export function drawPoints(canvasId, values, extent, regression) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return;
    const data = floats(values);
    const ratio = window.devicePixelRatio || 1, size = canvas.clientWidth * ratio;
    if (canvas.width !== size || canvas.height !== size) { canvas.width = size; canvas.height = size; }
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, size, size);
    const radius = Math.max(2.5, size / 110);
    for (let i = 0; i + 3 < data.length; i += 4) {
        const x = (data[i] + extent) / (2 * extent) * size, y = (extent - data[i + 1]) / (2 * extent) * size;
        const c = regression ? signedColour(data[i + 2]) : CLASS_COLOURS[data[i + 2] | 0];
        context.beginPath();
        context.arc(x, y, radius, 0, 2 * Math.PI);
        context.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
        context.fill();
        // A dark ring, so that a point shows on the map of its own class too; test points with a thicker one.
        context.lineWidth = (data[i + 3] ? 2.2 : 1) * ratio;
        context.strokeStyle = data[i + 3] ? "#000" : "rgba(0, 0, 0, 0.6)";
        context.stroke();
    }
}

// Training (dark) and test (grey) loss per epoch.
export function drawChart(canvasId, train, test) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return;
    const trainData = floats(train), testData = floats(test);
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth * ratio, height = canvas.clientHeight * ratio;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    let top = 0;
    for (const v of trainData) if (isFinite(v)) top = Math.max(top, v);
    for (const v of testData) if (isFinite(v)) top = Math.max(top, v);
    if (top === 0 || trainData.length < 2) return;
    const line = (data, colour) => {
        context.beginPath();
        data.forEach((v, i) => {
            const x = i / (data.length - 1) * width, y = height - Math.min(v, top) / top * (height - 2 * ratio) - ratio;
            if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
        });
        context.strokeStyle = colour;
        context.lineWidth = 1.5 * ratio;
        context.stroke();
    };
    line(testData, "#999");
    line(trainData, "#222");
}

// One training epoch per animation frame, as TensorFlow Playground: the page's .NET side does the work in Frame.
let running = null;
export function startLoop(page) {
    const loop = () => {
        if (running !== loop) return;
        page.invokeMethod("Frame");
        requestAnimationFrame(loop);
    };
    running = loop;
    requestAnimationFrame(loop);
}

export function stopLoop() { running = null; }

// Saves bytes as a file the browser downloads.
export function download(name, bytes, type) {
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}
