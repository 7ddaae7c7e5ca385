// A schematic tile map of 聊城: one tile per county-level unit and functional zone, placed
// roughly where it lies (north up). No boundary package ships with the platform and nothing may
// be downloaded, so the map is a grid — docs/decisions/0022-dashboards-and-e2e.md.
export interface Tile {
  key: string;
  x: number;
  y: number;
}

export const TILES: Tile[] = [
  { key: '371581', x: 0, y: 0 }, // 临清市 (north-west)
  { key: '371526', x: 3, y: 0 }, // 高唐县 (north-east)
  { key: '371525', x: 0, y: 1 }, // 冠县 (west)
  { key: '371502', x: 1, y: 1 }, // 东昌府区 (centre)
  { key: 'LC-GXQ', x: 2, y: 1 }, // 高新区 (east of the centre)
  { key: '371503', x: 3, y: 1 }, // 茌平区 (east)
  { key: '371522', x: 0, y: 2 }, // 莘县 (south-west)
  { key: 'LC-DJQ', x: 1, y: 2 }, // 度假区 (south of the centre)
  { key: 'LC-JKQ', x: 2, y: 2 }, // 经开区 (south-east of the centre)
  { key: '371524', x: 3, y: 2 }, // 东阿县 (south-east)
  { key: '371521', x: 1, y: 3 }, // 阳谷县 (south)
];

/** Short tile names; the API's labels are the full ones. */
export const TILE_NAME: Record<string, { zh: string; en: string }> = {
  '371581': { zh: '临清市', en: 'Linqing' },
  '371526': { zh: '高唐县', en: 'Gaotang' },
  '371525': { zh: '冠县', en: 'Guanxian' },
  '371502': { zh: '东昌府区', en: 'Dongchangfu' },
  'LC-GXQ': { zh: '高新区', en: 'High-tech Zone' },
  '371503': { zh: '茌平区', en: 'Chiping' },
  '371522': { zh: '莘县', en: 'Shenxian' },
  'LC-DJQ': { zh: '度假区', en: 'Resort Zone' },
  'LC-JKQ': { zh: '经开区', en: 'Dev. Zone' },
  '371524': { zh: '东阿县', en: "Dong'e" },
  '371521': { zh: '阳谷县', en: 'Yanggu' },
};
