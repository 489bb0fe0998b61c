/** Category → department → Slack channel (the default taxonomy, docs/design.md, routing taxonomy). Overridable with ROUTING_FILE. */
export interface CategoryEntry {
  department: string;
  zh: string;
  en: string;
}
export interface DepartmentEntry {
  zh: string;
  en: string;
  /** Other names petitioners use for it (住建局); a complaint naming the department never goes to it. */
  aliases?: string[];
  /** Slack channel for the department's cases; absent → the general intake channel. */
  slackChannel?: string;
}
export interface RoutingTable {
  categories: Record<string, CategoryEntry>;
  departments: Record<string, DepartmentEntry>;
}

export const DEFAULT_ROUTING: RoutingTable = {
  categories: {
    urban_construction: { department: 'housing_construction', zh: '城乡建设', en: 'Urban and rural construction' },
    environment: { department: 'ecology_environment', zh: '环境保护', en: 'Environmental protection' },
    transport: { department: 'transport', zh: '交通运输', en: 'Transport' },
    education_culture: { department: 'education_culture', zh: '教育文体', en: 'Education, culture and sports' },
    labour_social_security: { department: 'human_resources_social_security', zh: '劳动和社会保障', en: 'Labour and social security' },
    commerce_tourism: { department: 'commerce_tourism', zh: '商贸旅游', en: 'Commerce and tourism' },
    health: { department: 'health', zh: '卫生计生', en: 'Health' },
    other: { department: 'general_intake', zh: '其他', en: 'Other' },
  },
  departments: {
    housing_construction: { zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau', aliases: ['住建局', '住建部门', '建设局', 'housing bureau'] },
    ecology_environment: { zh: '生态环境局', en: 'Ecology and Environment Bureau', aliases: ['环保局', '环境局', '环保部门', 'environment bureau', 'environmental protection bureau'] },
    transport: { zh: '交通运输局', en: 'Transport Bureau', aliases: ['交通局', '运管局', '运管所', 'transport department'] },
    education_culture: { zh: '教育和文体局', en: 'Education, Culture and Sports Bureau', aliases: ['教育局', '文体局', '教委', 'education bureau'] },
    human_resources_social_security: { zh: '人力资源和社会保障局', en: 'Human Resources and Social Security Bureau', aliases: ['人社局', '劳动局', '社保局', '劳动监察大队', 'labour bureau', 'social security bureau'] },
    commerce_tourism: { zh: '商务和旅游局', en: 'Commerce and Tourism Bureau', aliases: ['商务局', '旅游局', '文旅局', 'tourism bureau'] },
    health: { zh: '卫生健康委员会', en: 'Health Commission', aliases: ['卫健委', '卫生局', 'health bureau'] },
    general_intake: { zh: '信访接待中心', en: 'Petition Reception Centre', aliases: ['信访局', '信访办'] },
  },
};
