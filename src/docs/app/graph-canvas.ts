/**
 * A DAG drawn on a 2D canvas: boxes at precomputed positions, edges as cubic Bézier curves from the right
 * side of a dependency to the left side of its dependent. Built for large graphs: only boxes and edges
 * inside the viewport are drawn, edges of one style are stroked as one path, labels are skipped when too
 * small to read, and redraws are coalesced into one animation frame. Pan by dragging, zoom with the wheel
 * (around the cursor), click selects a box, double-click opens it.
 */

/** A box to draw. Coordinates are the box centre in layout pixels. */
export interface CanvasNode {
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** CSS colour of the box. */
  readonly fill: string;
  /** Drawn with a thick outline (e.g. the focused node). */
  readonly emphasis?: boolean;
}

/** An edge from `from` (dependency) to `to` (dependent). */
export interface CanvasEdge {
  readonly from: string;
  readonly to: string;
  /** CSS colour; default grey. */
  readonly color?: string;
  readonly dashed?: boolean;
}

/** Callbacks of a {@link GraphCanvas}. */
export interface GraphCanvasOptions {
  onSelect?(id: string | undefined): void;
  onOpen?(id: string): void;
}

interface Camera {
  x: number; // layout coordinate at the canvas's left edge
  y: number;
  scale: number; // screen pixels per layout pixel
}

/** The canvas renderer. */
export class GraphCanvas {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private nodes: CanvasNode[] = [];
  private byId = new Map<string, CanvasNode>();
  private edges: CanvasEdge[] = [];
  private cam: Camera = { x: 0, y: 0, scale: 1 };
  private selected: string | undefined;
  private frame = 0;
  private readonly resize: ResizeObserver;

  constructor(private readonly container: HTMLElement, private readonly options: GraphCanvasOptions = {}) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'graph-canvas';
    this.canvas.tabIndex = 0;
    container.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
    this.resize = new ResizeObserver(() => this.redraw());
    this.resize.observe(container);
    this.bindEvents();
  }

  /** Replaces what is drawn and fits it into view. */
  setGraph(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): void {
    this.nodes = [...nodes];
    this.byId = new Map(nodes.map((n) => [n.id, n]));
    this.edges = edges.filter((e) => this.byId.has(e.from) && this.byId.has(e.to));
    this.selected = undefined;
    this.fit();
  }

  /** Ids of the nodes drawn. */
  nodeIds(): string[] {
    return this.nodes.map((n) => n.id);
  }

  /** Currently selected node. */
  selection(): string | undefined {
    return this.selected;
  }

  /** Selects a node (or none) and redraws. */
  select(id: string | undefined): void {
    this.selected = id && this.byId.has(id) ? id : undefined;
    this.options.onSelect?.(this.selected);
    this.redraw();
  }

  /** Fits the whole graph into the canvas. */
  fit(): void {
    const { w, h } = this.size();
    if (!this.nodes.length || !w || !h) {
      this.redraw();
      return;
    }
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of this.nodes) {
      x0 = Math.min(x0, n.x - n.width / 2); x1 = Math.max(x1, n.x + n.width / 2);
      y0 = Math.min(y0, n.y - n.height / 2); y1 = Math.max(y1, n.y + n.height / 2);
    }
    const pad = 30;
    const scale = Math.min(2, (w - pad * 2) / Math.max(1, x1 - x0), (h - pad * 2) / Math.max(1, y1 - y0));
    this.cam = { scale, x: x0 - (w / scale - (x1 - x0)) / 2, y: y0 - (h / scale - (y1 - y0)) / 2 };
    this.redraw();
  }

  /** Centres a node at a readable zoom. */
  centerOn(id: string): void {
    const n = this.byId.get(id);
    if (!n) return;
    const { w, h } = this.size();
    const scale = Math.max(this.cam.scale, 0.9);
    this.cam = { scale, x: n.x - w / 2 / scale, y: n.y - h / 2 / scale };
    this.redraw();
  }

  /** A node's centre in client (viewport) coordinates, or undefined when not drawn. */
  clientPosition(id: string): { x: number; y: number } | undefined {
    const n = this.byId.get(id);
    if (!n) return undefined;
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + (n.x - this.cam.x) * this.cam.scale, y: r.top + (n.y - this.cam.y) * this.cam.scale };
  }

  /** Stops observing the container. */
  destroy(): void {
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
  }

  private size(): { w: number; h: number } {
    return { w: this.container.clientWidth, h: this.container.clientHeight };
  }

  private redraw(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    const { w, h } = this.size();
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    const ctx = this.ctx;
    const { x: cx, y: cy, scale } = this.cam;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, -cx * scale * dpr, -cy * scale * dpr);
    const vx0 = cx, vy0 = cy, vx1 = cx + w / scale, vy1 = cy + h / scale;
    const visible = (n: CanvasNode) => n.x + n.width / 2 >= vx0 && n.x - n.width / 2 <= vx1 && n.y + n.height / 2 >= vy0 && n.y - n.height / 2 <= vy1;

    // Edges, batched per style; those touching the selection are drawn last, darker.
    const groups = new Map<string, CanvasEdge[]>();
    const hot: CanvasEdge[] = [];
    for (const e of this.edges) {
      const a = this.byId.get(e.from)!, b = this.byId.get(e.to)!;
      const ex0 = Math.min(a.x, b.x), ex1 = Math.max(a.x, b.x), ey0 = Math.min(a.y, b.y), ey1 = Math.max(a.y, b.y);
      if (ex1 < vx0 || ex0 > vx1 || ey1 < vy0 || ey0 > vy1) continue;
      if (this.selected && (e.from === this.selected || e.to === this.selected)) {
        hot.push(e);
        continue;
      }
      const k = `${e.color ?? '#b6bcc6'}|${e.dashed ? 1 : 0}`;
      (groups.get(k) ?? groups.set(k, []).get(k)!).push(e);
    }
    const stroke = (edges: CanvasEdge[], color: string, dashed: boolean, width: number) => {
      ctx.beginPath();
      for (const e of edges) {
        const a = this.byId.get(e.from)!, b = this.byId.get(e.to)!;
        const x0 = a.x + a.width / 2, x1 = b.x - b.width / 2;
        const dx = Math.max(30, (x1 - x0) / 2);
        ctx.moveTo(x0, a.y);
        ctx.bezierCurveTo(x0 + dx, a.y, x1 - dx, b.y, x1, b.y);
      }
      ctx.setLineDash(dashed ? [5, 4] : []);
      ctx.lineWidth = width / Math.max(scale, 0.25);
      ctx.strokeStyle = color;
      ctx.stroke();
    };
    for (const [k, es] of groups) {
      const [color, dashed] = k.split('|');
      stroke(es, color, dashed === '1', 1);
    }
    for (const e of hot) stroke([e], e.color && e.color !== '#b6bcc6' ? e.color : '#1f2937', !!e.dashed, 2);
    ctx.setLineDash([]);

    // Boxes and labels.
    const showLabels = scale * 12 >= 4;
    ctx.font = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
    ctx.textBaseline = 'middle';
    for (const n of this.nodes) {
      if (!visible(n)) continue;
      const x = n.x - n.width / 2, y = n.y - n.height / 2;
      ctx.fillStyle = n.fill;
      ctx.beginPath();
      ctx.roundRect(x, y, n.width, n.height, 5);
      ctx.fill();
      if (n.id === this.selected || n.emphasis) {
        ctx.lineWidth = (n.id === this.selected ? 3 : 2) / Math.max(scale, 0.25);
        ctx.strokeStyle = n.id === this.selected ? '#111827' : '#374151';
        ctx.stroke();
      }
      if (showLabels) {
        ctx.save();
        ctx.beginPath();
        ctx.rect(x + 4, y, n.width - 8, n.height);
        ctx.clip();
        ctx.fillStyle = '#fff';
        ctx.fillText(n.label, x + 8, n.y);
        ctx.restore();
      }
    }
  }

  private hit(clientX: number, clientY: number): CanvasNode | undefined {
    const r = this.canvas.getBoundingClientRect();
    const lx = this.cam.x + (clientX - r.left) / this.cam.scale;
    const ly = this.cam.y + (clientY - r.top) / this.cam.scale;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i];
      if (Math.abs(lx - n.x) <= n.width / 2 && Math.abs(ly - n.y) <= n.height / 2) return n;
    }
    return undefined;
  }

  private bindEvents(): void {
    const c = this.canvas;
    let drag: { x: number; y: number; cx: number; cy: number; moved: boolean } | undefined;
    c.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, cx: this.cam.x, cy: this.cam.y, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        this.cam.x = drag.cx - dx / this.cam.scale;
        this.cam.y = drag.cy - dy / this.cam.scale;
        this.redraw();
      }
    });
    c.addEventListener('pointerup', (e) => {
      if (drag && !drag.moved) this.select(this.hit(e.clientX, e.clientY)?.id);
      drag = undefined;
    });
    c.addEventListener('dblclick', (e) => {
      const n = this.hit(e.clientX, e.clientY);
      if (n) this.options.onOpen?.(n.id);
    });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = c.getBoundingClientRect();
      const mx = e.clientX - r.left, my = e.clientY - r.top;
      const lx = this.cam.x + mx / this.cam.scale, ly = this.cam.y + my / this.cam.scale;
      const scale = Math.min(4, Math.max(0.02, this.cam.scale * Math.exp(-e.deltaY * 0.0015)));
      this.cam = { scale, x: lx - mx / scale, y: ly - my / scale };
      this.redraw();
    }, { passive: false });
  }
}
