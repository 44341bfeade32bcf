/** 繁體中文: the room's reactions, host spotlight, host leaving and meeting history. */
import type { RoomCatalog } from './en.js';

export const roomZhHant: RoomCatalog = {
  reactions: {
    button: '傳送表情回應',
    menu: '表情回應',
    thumbsUp: '讚',
    heart: '愛心',
    joy: '笑到流淚',
    surprised: '驚訝',
    clap: '拍手',
    celebrate: '慶祝',
    reacted: '{{name}} 回應了：{{reaction}}',
    tooFast: '表情回應太頻繁，請稍候片刻。',
    failed: '無法傳送表情回應。',
  },
  spotlight: {
    set: '為所有人設為焦點',
    setFor: '為所有人將 {{name}} 設為焦點',
    remove: '取消焦點',
    setFailed: '無法將 {{name}} 設為焦點。',
    removeFailed: '無法取消焦點。',
    on: '{{name}} 已設為所有人的焦點',
    onYou: '你已設為所有人的焦點',
    off: '焦點已取消',
    badge: '焦點',
  },
  hostLeave: {
    title: '要離開會議嗎？',
    body: '你是主持人。請把主持人身分移交給留下的人，或為所有人結束會議。',
    newHost: '新主持人',
    handOver: '移交並離開',
    handOverFailed: '無法將主持人身分移交給 {{name}}。',
    endForEveryone: '為所有人結束會議',
  },
  history: {
    endedOn: '已於{{day}}結束',
  },
};
