// Canvas 2D against WebGL2 instancing in the benchmark's browser (headless Chromium with
// --disable-gpu, as every browser test here runs it): the same ~18,000 rects a frame (16 lanes at
// the LOD's worst, about one rect per pixel column), 150 frames each, twice. Why the timeline
// stays on Canvas 2D with batched paths: without a GPU, Chromium runs WebGL2 on SwiftShader, a
// GPU emulated on the CPU, and it is an order of magnitude slower here (BENCHMARKS.md).
//
// usage: node bench/canvas-vs-webgl.bench.mjs
import { launch } from '../e2e/lib.mjs';

const browser = await launch();
console.log(`headless Chromium ${browser.version()}`);
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
await page.goto('about:blank');
const renderer = await page.evaluate(() => {
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl ? gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : 'none';
});
console.log(`WebGL2 renderer: ${renderer}`);
const run = (mode) =>
  page.evaluate(async (mode) => {
    document.body.innerHTML = '';
    const W = 1730,
      H = 650,
      LANES = 16,
      RECTS = 1500; // rects per lane (LOD output at most ~2 per px)
    const c = document.createElement('canvas');
    c.width = W;
    c.height = H;
    c.style.willChange = 'transform';
    document.body.append(c);
    const colors = ['#009E73', '#F0E442', '#D55E00', '#E69F00', '#56B4E9', '#cccccc'];
    const rnd = (() => {
      let a = 1;
      return () => (a = (a * 16807) % 2147483647) / 2147483647;
    })();
    // rect list per lane: x0, w, colour
    const rects = [];
    for (let l = 0; l < LANES; l++) {
      let x = 0;
      for (let i = 0; i < RECTS && x < W; i++) {
        const w = 0.5 + rnd() * 2;
        rects.push([l, x, w, Math.floor(rnd() * 6)]);
        x += w;
      }
    }
    let draw;
    if (mode === '2d') {
      // As the timeline draws: one path per lane and colour, the rects grouped beforehand.
      const ctx = c.getContext('2d');
      const groups = Array.from({ length: LANES * 6 }, () => []);
      for (const r of rects) groups[r[0] * 6 + r[3]].push(r);
      draw = (shift) => {
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, W, H);
        groups.forEach((g, k) => {
          if (g.length === 0) return;
          ctx.beginPath();
          for (const r of g) ctx.rect((r[1] + shift) % W, r[0] * 40 + 10, r[2], 20);
          ctx.fillStyle = colors[k % 6];
          ctx.fill();
        });
      };
    } else {
      const gl = c.getContext('webgl2');
      const vs = `#version 300 es
    in vec2 corner; in vec4 inst; in vec3 col; uniform vec2 size; uniform float shift; out vec3 vcol;
    void main(){ float x = mod(inst.x + shift, size.x) + corner.x*inst.z; float y = inst.y + corner.y*inst.w;
      gl_Position = vec4(x/size.x*2.0-1.0, 1.0-y/size.y*2.0, 0, 1); vcol = col; }`;
      const fs = `#version 300 es
    precision mediump float; in vec3 vcol; out vec4 o; void main(){ o = vec4(vcol,1); }`;
      const sh = (t, src) => {
        const s = gl.createShader(t);
        gl.shaderSource(s, src);
        gl.compileShader(s);
        return s;
      };
      const p = gl.createProgram();
      gl.attachShader(p, sh(gl.VERTEX_SHADER, vs));
      gl.attachShader(p, sh(gl.FRAGMENT_SHADER, fs));
      gl.linkProgram(p);
      gl.useProgram(p);
      const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
      const inst = new Float32Array(rects.length * 4),
        col = new Float32Array(rects.length * 3);
      rects.forEach((r, i) => {
        inst.set([r[1], r[0] * 40 + 10, r[2], 20], i * 4);
        col.set(hex(colors[r[3]]), i * 3);
      });
      const buf = (data, loc, n, div) => {
        const b = gl.createBuffer();
        gl.bindBuffer(gl.ARRAY_BUFFER, b);
        gl.bufferData(gl.ARRAY_BUFFER, data, gl.DYNAMIC_DRAW);
        gl.enableVertexAttribArray(loc);
        gl.vertexAttribPointer(loc, n, gl.FLOAT, false, 0, 0);
        gl.vertexAttribDivisor(loc, div);
        return b;
      };
      buf(new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), gl.getAttribLocation(p, 'corner'), 2, 0);
      const ib = buf(inst, gl.getAttribLocation(p, 'inst'), 4, 1);
      buf(col, gl.getAttribLocation(p, 'col'), 3, 1);
      gl.uniform2f(gl.getUniformLocation(p, 'size'), W, H);
      const shiftLoc = gl.getUniformLocation(p, 'shift');
      draw = (shift) => {
        gl.bindBuffer(gl.ARRAY_BUFFER, ib);
        gl.bufferSubData(gl.ARRAY_BUFFER, 0, inst);
        gl.viewport(0, 0, W, H);
        gl.clearColor(1, 1, 1, 1);
        gl.clear(gl.COLOR_BUFFER_BIT);
        gl.uniform1f(shiftLoc, shift);
        gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, rects.length);
      };
    }
    const work = [],
      iv = [];
    let last = 0;
    await new Promise((done) => {
      let n = 0;
      const ch = new MessageChannel();
      let start = 0;
      ch.port1.onmessage = () => work.push(performance.now() - start);
      const f = (ts) => {
        if (last) iv.push(ts - last);
        last = ts;
        start = ts;
        draw(n * 3);
        ch.port2.postMessage(0);
        if (++n < 150) requestAnimationFrame(f);
        else setTimeout(done, 100);
      };
      requestAnimationFrame(f);
    });
    const q = (a, p) => {
      const s = [...a].sort((x, y) => x - y);
      return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(1);
    };
    return `${mode}: rects ${rects.length}; frame work median ${q(work, 0.5)} p95 ${q(work, 0.95)}; interval median ${q(iv, 0.5)} p95 ${q(iv, 0.95)}`;
  }, mode);
for (const m of ['2d', 'webgl2', '2d', 'webgl2']) console.log(await run(m));
await browser.close();
