// The 4-digit classes (小类) of GB/T 4754-2017 that the demo city uses: every class named
// for 聊城's key chains in domain.md §3 plus a realistic spread over all sections, so that
// a synthetic city has shops, hotels, farms, builders and software firms as well as
// factories. One row per class: code | 中文名称 | English name. Names follow the 2017 text.

const ROWS = `
0112|小麦种植|Wheat growing
0113|玉米种植|Maize growing
0122|油料种植|Oil crop growing
0131|棉花种植|Cotton growing
0141|蔬菜种植|Vegetable growing
0142|食用菌种植|Edible fungus growing
0151|仁果类和核果类水果种植|Pome and stone fruit growing
0171|中草药种植|Chinese herbal medicine growing
0212|林木育苗|Tree seedling raising
0311|牛的饲养|Cattle raising
0313|猪的饲养|Pig raising
0314|羊的饲养|Sheep and goat raising
0321|鸡的饲养|Chicken raising
0322|鸭的饲养|Duck raising
0412|内陆养殖|Inland aquaculture
0512|农业机械活动|Agricultural machinery services
0514|农产品初加工活动|Primary processing of farm produce
1019|粘土及其他土砂石开采|Clay, sand and other stone quarrying
1200|其他采矿业|Other mining
1312|小麦加工|Wheat milling
1313|玉米加工|Maize milling
1329|其他饲料加工|Other feed processing
1331|食用植物油加工|Edible vegetable oil processing
1351|牲畜屠宰|Livestock slaughtering
1352|禽类屠宰|Poultry slaughtering
1353|肉制品及副产品加工|Meat products and by-products
1371|蔬菜加工|Vegetable processing
1372|食用菌加工|Edible fungus processing
1373|水果和坚果加工|Fruit and nut processing
1391|淀粉及淀粉制品制造|Starch and starch products
1392|豆制品制造|Soybean products
1411|糕点、面包制造|Pastry and bread
1431|米、面制品制造|Rice and flour products
1432|速冻食品制造|Quick-frozen food
1441|液体乳制造|Liquid milk
1469|其他调味品、发酵制品制造|Other condiments and fermented products
1495|食品及饲料添加剂制造|Food and feed additives
1512|白酒制造|Baijiu (Chinese spirits)
1513|啤酒制造|Beer
1529|茶饮料及其他饮料制造|Tea drinks and other beverages
1711|棉纺纱加工|Cotton spinning
1712|棉织造加工|Cotton weaving
1713|棉印染精加工|Cotton printing, dyeing and finishing
1751|化纤织造加工|Chemical fibre weaving
1761|针织或钩针编织物织造|Knitted or crocheted fabrics
1771|床上用品制造|Bedding
1781|非织造布制造|Nonwoven fabrics
1819|其他机织服装制造|Other woven garments
1829|其他针织或钩针编织服装制造|Other knitted or crocheted garments
1830|服饰制造|Apparel accessories
1952|皮鞋制造|Leather shoes
2021|胶合板制造|Plywood
2110|木质家具制造|Wooden furniture
2130|金属家具制造|Metal furniture
2221|机制纸及纸板制造|Machine-made paper and paperboard
2231|纸和纸板容器制造|Paper and paperboard containers
2319|包装装潢及其他印刷|Packaging and other printing
2411|文具制造|Stationery
2511|原油加工及石油制品制造|Crude oil refining and petroleum products
2521|炼焦|Coking
2611|无机酸制造|Inorganic acids
2612|无机碱制造|Inorganic alkalis
2614|有机化学原料制造|Organic chemical raw materials
2619|其他基础化学原料制造|Other basic chemical raw materials
2621|氮肥制造|Nitrogen fertilisers
2624|复混肥料制造|Compound fertilisers
2625|有机肥料及微生物肥料制造|Organic and microbial fertilisers
2631|化学农药制造|Chemical pesticides
2641|涂料制造|Paints and coatings
2651|初级形态塑料及合成树脂制造|Primary plastics and synthetic resins
2652|合成橡胶制造|Synthetic rubber
2659|其他合成材料制造|Other synthetic materials
2661|化学试剂和助剂制造|Chemical reagents and auxiliaries
2669|其他专用化学产品制造|Other specialty chemicals
2681|肥皂及洗涤剂制造|Soap and detergents
2710|化学药品原料药制造|Chemical active pharmaceutical ingredients
2720|化学药品制剂制造|Chemical drug preparations
2730|中药饮片加工|Prepared Chinese herbal slices
2740|中成药生产|Chinese patent medicines
2750|兽用药品制造|Veterinary medicines
2761|生物药品制造|Biological medicines
2762|基因工程药物和疫苗制造|Genetically engineered drugs and vaccines
2770|卫生材料及医药用品制造|Sanitary materials and medical supplies
2780|药用辅料及包装材料|Pharmaceutical excipients and packaging
2822|涤纶纤维制造|Polyester fibre
2832|生物基、淀粉基新材料制造|Bio-based and starch-based new materials
2911|轮胎制造|Tyres
2913|橡胶零件制造|Rubber parts
2921|塑料薄膜制造|Plastic film
2922|塑料板、管、型材制造|Plastic sheets, pipes and profiles
2929|塑料零件及其他塑料制品制造|Plastic parts and other plastic products
3011|水泥制造|Cement
3021|水泥制品制造|Cement products
3031|粘土砖瓦及建筑砌块制造|Clay bricks, tiles and building blocks
3041|平板玻璃制造|Flat glass
3062|玻璃纤维增强塑料制品制造|Glass-fibre reinforced plastics
3091|石墨及碳素制品制造|Graphite and carbon products
3110|炼铁|Iron making
3120|炼钢|Steel making
3130|钢压延加工|Steel rolling
3140|铁合金冶炼|Ferroalloy smelting
3211|铜冶炼|Copper smelting
3216|铝冶炼|Aluminium smelting
3240|有色金属合金制造|Non-ferrous alloys
3251|铜压延加工|Copper rolling
3252|铝压延加工|Aluminium rolling
3259|其他有色金属压延加工|Other non-ferrous rolling
3311|金属结构制造|Metal structures
3312|金属门窗制造|Metal doors and windows
3332|金属压力容器制造|Metal pressure vessels
3340|金属丝绳及其制品制造|Metal wire rope and products
3360|金属表面处理及热处理加工|Metal surface and heat treatment
3391|黑色金属铸造|Ferrous castings
3392|有色金属铸造|Non-ferrous castings
3393|锻件及粉末冶金制品制造|Forgings and powder metallurgy
3399|其他未列明金属制品制造|Other metal products n.e.c.
3412|内燃机及配件制造|Internal combustion engines and parts
3421|金属切削机床制造|Metal-cutting machine tools
3441|泵及真空设备制造|Pumps and vacuum equipment
3443|阀门和旋塞制造|Valves and cocks
3444|液压动力机械及元件制造|Hydraulic power machinery and components
3451|滚动轴承制造|Rolling bearings
3452|滑动轴承制造|Plain bearings
3453|齿轮及齿轮减、变速箱制造|Gears and gearboxes
3459|其他传动部件制造|Other transmission parts
3464|制冷、空调设备制造|Refrigeration and air-conditioning equipment
3482|紧固件制造|Fasteners
3484|机械零部件加工|Machined parts
3491|工业机器人制造|Industrial robots
3511|矿山机械制造|Mining machinery
3514|建筑工程用机械制造|Construction machinery
3525|模具制造|Moulds and dies
3551|纺织专用设备制造|Textile machinery
3571|拖拉机制造|Tractors
3572|机械化农业及园艺机具制造|Agricultural and horticultural machinery
3576|农林牧渔机械配件制造|Farm machinery parts
3584|医疗、外科及兽医用器械制造|Medical, surgical and veterinary instruments
3591|环境保护专用设备制造|Environmental protection equipment
3611|汽柴油车整车制造|Petrol and diesel vehicles
3612|新能源车整车制造|New-energy vehicles
3620|汽车用发动机制造|Automotive engines
3630|改装汽车制造|Modified vehicles
3640|低速汽车制造|Low-speed vehicles
3650|电车制造|Trolleybuses and trams
3660|汽车车身、挂车制造|Vehicle bodies and trailers
3670|汽车零部件及配件制造|Automotive parts and accessories
3752|摩托车零部件及配件制造|Motorcycle parts
3761|自行车制造|Bicycles
3770|助动车制造|Mopeds and e-bikes
3812|电动机制造|Electric motors
3821|变压器、整流器和电感器制造|Transformers, rectifiers and inductors
3823|配电开关控制设备制造|Switchgear and control equipment
3825|光伏设备及元器件制造|Photovoltaic equipment and components
3831|电线、电缆制造|Wires and cables
3841|锂离子电池制造|Lithium-ion batteries
3843|铅蓄电池制造|Lead-acid batteries
3851|家用制冷电器具制造|Household refrigeration appliances
3862|太阳能器具制造|Solar appliances
3872|照明灯具制造|Lighting fixtures
3911|计算机整机制造|Computers
3912|计算机零部件制造|Computer parts
3914|工业控制计算机及系统制造|Industrial control computers and systems
3921|通信系统设备制造|Communication system equipment
3922|通信终端设备制造|Communication terminals
3962|智能车载设备制造|Smart in-vehicle devices
3973|集成电路制造|Integrated circuits
3975|半导体照明器件制造|Semiconductor lighting devices
3976|光电子器件制造|Optoelectronic devices
3981|电阻电容电感元件制造|Resistors, capacitors and inductors
3982|电子电路制造|Electronic circuits (PCB)
3983|敏感元件及传感器制造|Sensors
3985|电子专用材料制造|Electronic materials
3989|其他电子元件制造|Other electronic components
3990|其他电子设备制造|Other electronic equipment
4011|工业自动控制系统装置制造|Industrial automation control systems
4016|供应用仪器仪表制造|Utility meters
4028|电子测量仪器制造|Electronic measuring instruments
4190|其他未列明制造业|Other manufacturing n.e.c.
4210|金属废料和碎屑加工处理|Metal scrap processing
4220|非金属废料和碎屑加工处理|Non-metal scrap processing
4320|通用设备修理|General equipment repair
4411|火力发电|Thermal power
4412|热电联产|Combined heat and power
4415|风力发电|Wind power
4416|太阳能发电|Solar power
4417|生物质能发电|Biomass power
4420|电力供应|Electricity supply
4430|热力生产和供应|Heat production and supply
4511|天然气生产和供应业|Natural gas supply
4610|自来水生产和供应|Tap water supply
4620|污水处理及其再生利用|Sewage treatment and reuse
4710|住宅房屋建筑|Residential building construction
4790|其他房屋建筑业|Other building construction
4812|公路工程建筑|Highway construction
4813|市政道路工程建筑|Municipal road construction
4822|河湖治理及防洪设施工程建筑|River and flood-control works
4852|管道工程建筑|Pipeline construction
4891|园林绿化工程施工|Landscaping works
4910|电气安装|Electrical installation
4920|管道和设备安装|Plumbing and equipment installation
4999|其他建筑安装|Other building installation
5011|公共建筑装饰和装修|Public building decoration
5012|住宅装饰和装修|Home decoration
5111|谷物、豆及薯类批发|Wholesale of grain, beans and tubers
5112|种子批发|Wholesale of seeds
5113|畜牧渔业饲料批发|Wholesale of feed
5121|米、面制品及食用油批发|Wholesale of rice, flour and edible oil
5123|果品、蔬菜批发|Wholesale of fruit and vegetables
5124|肉、禽、蛋、奶及水产品批发|Wholesale of meat, poultry, eggs, milk and seafood
5127|酒、饮料及茶叶批发|Wholesale of alcohol, beverages and tea
5131|纺织品、针织品及原料批发|Wholesale of textiles
5132|服装批发|Wholesale of clothing
5138|日用家电批发|Wholesale of household appliances
5151|西药批发|Wholesale of Western medicines
5152|中药批发|Wholesale of Chinese medicines
5154|医疗用品及器材批发|Wholesale of medical supplies
5161|煤炭及制品批发|Wholesale of coal
5162|石油及制品批发|Wholesale of petroleum products
5164|金属及金属矿批发|Wholesale of metals and metal ores
5165|建材批发|Wholesale of building materials
5166|化肥批发|Wholesale of fertilisers
5169|其他化工产品批发|Wholesale of other chemicals
5171|农业机械批发|Wholesale of farm machinery
5172|汽车及零配件批发|Wholesale of vehicles and parts
5174|五金产品批发|Wholesale of hardware
5175|电气设备批发|Wholesale of electrical equipment
5176|计算机、软件及辅助设备批发|Wholesale of computers and software
5179|其他机械设备及电子产品批发|Wholesale of other machinery and electronics
5181|贸易代理|Trade agency
5191|再生物资回收与批发|Recycling and wholesale of recovered materials
5193|互联网批发|Internet wholesale
5199|其他未列明批发业|Other wholesale n.e.c.
5211|百货零售|Department stores
5212|超级市场零售|Supermarkets
5213|便利店零售|Convenience stores
5221|粮油零售|Retail of grain and oil
5223|果品、蔬菜零售|Retail of fruit and vegetables
5224|肉、禽、蛋、奶及水产品零售|Retail of meat, poultry, eggs, milk and seafood
5226|酒、饮料及茶叶零售|Retail of alcohol, beverages and tea
5232|服装零售|Clothing retail
5251|西药零售|Pharmacies (Western medicines)
5252|中药零售|Retail of Chinese medicines
5261|汽车新车零售|New car retail
5263|汽车零配件零售|Retail of car parts
5265|机动车燃油零售|Fuel stations
5267|机动车充电销售|Vehicle charging
5272|日用家电零售|Household appliance retail
5273|计算机、软件及辅助设备零售|Computer retail
5274|通信设备零售|Mobile phone and telecom equipment retail
5281|五金零售|Hardware retail
5283|家具零售|Furniture retail
5292|互联网零售|Internet retail
5299|其他未列明零售业|Other retail n.e.c.
5320|铁路货物运输|Rail freight
5411|公共电汽车客运|Public bus transport
5413|出租车客运|Taxis
5421|长途客运|Long-distance coaches
5431|普通货物道路运输|General road freight
5432|冷藏车道路运输|Refrigerated road freight
5435|危险货物道路运输|Dangerous goods road freight
5437|城市配送|Urban delivery
5442|货运枢纽（站）|Freight hubs
5523|内河货物运输|Inland waterway freight
5720|陆地管道运输|Onshore pipeline transport
5810|多式联运|Multimodal transport
5821|货物运输代理|Freight forwarding
5910|装卸搬运|Cargo handling
5920|通用仓储|General warehousing
5930|低温仓储|Cold storage
5942|危险化学品仓储|Hazardous chemical storage
5951|谷物仓储|Grain storage
6010|邮政基本服务|Basic postal services
6020|快递服务|Express delivery
6110|旅游饭店|Tourist hotels
6121|经济型连锁酒店|Budget chain hotels
6129|其他一般旅馆|Other hotels
6130|民宿服务|Homestays
6210|正餐服务|Restaurants
6220|快餐服务|Fast food
6231|茶馆服务|Teahouses
6241|餐饮配送服务|Catering delivery
6291|小吃服务|Snack bars
6311|固定电信服务|Fixed telecommunications
6312|移动电信服务|Mobile telecommunications
6321|有线广播电视传输服务|Cable broadcasting transmission
6410|互联网接入及相关服务|Internet access
6429|互联网其他信息服务|Other internet information services
6431|互联网生产服务平台|Internet platforms for production services
6432|互联网生活服务平台|Internet platforms for consumer services
6450|互联网数据服务|Internet data services
6511|基础软件开发|Basic software development
6512|支撑软件开发|Supporting software development
6513|应用软件开发|Application software development
6520|集成电路设计|Integrated circuit design
6531|信息系统集成服务|Information system integration
6532|物联网技术服务|Internet of Things services
6540|运行维护服务|IT operation and maintenance
6550|信息处理和存储支持服务|Data processing and storage
6560|信息技术咨询服务|IT consulting
6572|动漫、游戏数字内容服务|Animation and game content
6591|呼叫中心|Call centres
6621|商业银行服务|Commercial banking
6623|信用合作社服务|Credit cooperatives
6635|小额贷款公司服务|Microcredit companies
6820|财产保险|Property insurance
6852|保险代理服务|Insurance agency
7010|房地产开发经营|Real estate development
7020|物业管理|Property management
7030|房地产中介服务|Real estate agency
7040|房地产租赁经营|Real estate leasing
7090|其他房地产业|Other real estate
7111|汽车租赁|Car rental
7112|农业机械经营租赁|Farm machinery leasing
7113|建筑工程机械与设备经营租赁|Construction machinery leasing
7211|企业总部管理|Head office management
7212|投资与资产管理|Investment and asset management
7221|园区管理服务|Industrial park management
7223|市场管理服务|Market management
7224|供应链管理服务|Supply chain management
7231|律师及相关法律服务|Legal services
7241|会计、审计及税务服务|Accounting, auditing and tax services
7243|社会经济咨询|Socio-economic consulting
7259|其他广告服务|Other advertising
7262|职业中介服务|Employment agencies
7263|劳务派遣服务|Labour dispatch
7271|安全服务|Security services
7289|其他会议、展览及相关服务|Other conference and exhibition services
7291|旅行社及相关服务|Travel agencies
7292|包装服务|Packaging services
7296|非融资担保服务|Non-financing guarantee services
7320|工程和技术研究和试验发展|Engineering and technology R&D
7330|农业科学研究和试验发展|Agricultural R&D
7452|检测服务|Testing services
7482|工程监理服务|Construction supervision
7484|工程设计活动|Engineering design
7491|工业设计服务|Industrial design
7511|农林牧渔技术推广服务|Agricultural technology extension
7513|新材料技术推广服务|New materials technology promotion
7514|节能技术推广服务|Energy-saving technology promotion
7520|知识产权服务|Intellectual property services
7530|科技中介服务|Technology intermediary services
7540|创业空间服务|Start-up incubation spaces
7620|水资源管理|Water resource management
7721|水污染治理|Water pollution control
7723|固体废物治理|Solid waste treatment
7724|危险废物治理|Hazardous waste treatment
7810|市政设施管理|Municipal facilities management
7820|环境卫生管理|Sanitation management
7840|绿化管理|Greening management
7861|名胜风景区管理|Scenic area management
8010|家庭服务|Domestic services
8020|托儿所服务|Nurseries
8030|洗染服务|Laundry and dyeing
8040|理发及美容服务|Hairdressing and beauty
8051|洗浴服务|Bathhouses
8053|养生保健服务|Wellness services
8060|摄影扩印服务|Photography studios
8070|婚姻服务|Wedding services
8080|殡葬服务|Funeral services
8111|汽车修理与维护|Car repair and maintenance
8121|计算机和辅助设备修理|Computer repair
8132|日用电器修理|Household appliance repair
8211|建筑物清洁服务|Building cleaning
8290|其他未列明服务业|Other services n.e.c.
8310|学前教育|Pre-school education
8321|普通小学教育|Primary education
8336|中等职业学校教育|Secondary vocational education
8391|职业技能培训|Vocational skills training
8393|文化艺术培训|Arts training
8411|综合医院|General hospitals
8412|中医医院|Traditional Chinese medicine hospitals
8415|专科医院|Specialised hospitals
8423|乡镇卫生院|Township health centres
8425|门诊部（所）|Clinics
8491|健康体检服务|Health check-up services
8514|老年人、残疾人养护服务|Care for the elderly and disabled
8521|社会看护与帮助服务|Community care and help services
8730|影视节目制作|Film and television production
8760|电影放映|Cinemas
8810|文艺创作与表演|Artistic creation and performance
8870|群众文体活动|Community cultural and sports activities
8930|健身休闲活动|Fitness and leisure activities
9011|歌舞厅娱乐活动|Karaoke and dance halls
9013|网吧活动|Internet cafés
9030|休闲观光活动|Leisure sightseeing
9051|文化活动服务|Cultural event services
9100|中国共产党机关|Communist Party of China organs
9224|社会事务管理机构|Social affairs administration
9225|经济事务管理机构|Economic affairs administration
9413|失业保险|Unemployment insurance
9521|专业性团体|Professional associations
9522|行业性团体|Trade associations
9530|基金会|Foundations
9610|社区居民自治组织|Residents' committees
9620|村民自治组织|Villagers' committees
9700|国际组织|International organisations
`;

export interface ClassRow {
  code: string;
  zh: string;
  en: string;
}

export const CLASS_ROWS: ClassRow[] = ROWS.trim()
  .split('\n')
  .map((line) => {
    const [code, zh, en] = line.split('|');
    return { code, zh, en };
  });
